"""The model layer: one interface to OpenAI, Anthropic, the MCP client's own model, or no model at all."""
