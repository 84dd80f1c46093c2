"""The API's routers, one module per resource; ``hubsight.api.app`` includes them."""
