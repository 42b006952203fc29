import sys
print("out before")
sys.exit("fatal: something went wrong")
