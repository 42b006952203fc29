STATE = "fresh"
def run():
    return "alpha ran"
