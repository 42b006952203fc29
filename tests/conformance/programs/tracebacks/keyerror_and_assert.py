def validate(d):
    assert "name" in d, f"missing name in {sorted(d)}"
    return d["name"]

print(validate({"name": "ok"}))
validate({"age": 3})
