f = print
f(end='', end='')
