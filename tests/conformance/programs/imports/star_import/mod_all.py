__all__ = ["public", "exported_func"]
public = "pub"
hidden = "hid"
def exported_func():
    return "exported"
