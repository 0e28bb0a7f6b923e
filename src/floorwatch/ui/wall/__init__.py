"""The wall layout's widgets (`--wall`, `layout = "wall"`): a TV across the shop floor."""
