"""The emulator's HTTP side, one module a route or concern, so that the platform's rules
(the backend) never see a request and each route reads top to bottom on its own.
`..app.create_app` puts them together."""
