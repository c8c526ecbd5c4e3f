"""Entity extraction and linking: mentions with offsets into the original text, merged into entities."""
