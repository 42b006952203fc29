import sys
print("about to fail", flush=True)
sys.stdout.write("partial line")
raise KeyError("missing")
