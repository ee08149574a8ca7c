"""Request handlers: data commands (AS_MSG) and info commands."""
