main_guard_ran = False
if __name__ == "__main__":
    main_guard_ran = True
