print("using builtin exit")
exit(12)
