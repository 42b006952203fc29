from . import alpha
def run():
    return "beta ran after " + alpha.run()
