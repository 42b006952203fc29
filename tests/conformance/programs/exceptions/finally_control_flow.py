def ret_in_finally():
    try:
        return "try"
    finally:
        return "finally"
print(ret_in_finally())

def swallow():
    try:
        raise ValueError("lost")
    finally:
        return "swallowed"
print(swallow())

def loop_break():
    out = []
    for i in range(5):
        try:
            if i == 2:
                raise KeyError(i)
            out.append(i)
        finally:
            if i == 2:
                break
    return out
print(loop_break())

def loop_continue():
    out = []
    for i in range(4):
        try:
            out.append(i)
            if i % 2:
                continue
            out.append("even")
        finally:
            out.append("f")
    return out
print(loop_continue())

def continue_in_finally():
    n = 0
    for i in range(3):
        try:
            raise ValueError
        finally:
            n += 1
            continue
    return n
print(continue_in_finally())

def nested_finally():
    log = []
    try:
        try:
            return log
        finally:
            log.append("inner")
    finally:
        log.append("outer")
print(nested_finally())

def while_else():
    i = 0
    while i < 3:
        i += 1
    else:
        print("while else")
    for x in []:
        pass
    else:
        print("for else")
    for x in [1]:
        break
    else:
        print("not printed")
while_else()
def finally_value():
    x = 1
    try:
        return x
    finally:
        x = 2
print(finally_value())
