from cyrano_mcp.cli import main

main()
