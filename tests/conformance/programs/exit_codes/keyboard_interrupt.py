def handler():
    raise KeyboardInterrupt

print("before interrupt")
handler()
