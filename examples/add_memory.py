"""The seed's memory example: a global, a function call with a local, and the result."""

x = 10  # Global variable, stored in global namespace


def add(a, b):  # Function definition, stored in code segment
    result = a + b  # Local variable in the stack
    return result


y = add(x, 20)  # Function call
print(y)  # Output
