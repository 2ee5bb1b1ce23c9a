"""One module per vendor; each implements `cyrano_mcp.llm.provider.Provider`."""
