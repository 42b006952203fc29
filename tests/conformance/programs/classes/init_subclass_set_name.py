class Plugin:
    plugins = []
    def __init_subclass__(cls, /, name=None, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.plugin_name = name or cls.__name__.lower()
        Plugin.plugins.append(cls.plugin_name)

class Alpha(Plugin):
    pass

class Beta(Plugin, name="bee"):
    pass

print(Plugin.plugins, Beta.plugin_name)

class Field:
    def __set_name__(self, owner, name):
        print("set_name", owner.__name__, name)
        self.name = "_" + name
    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        return getattr(obj, self.name, "unset")
    def __set__(self, obj, value):
        setattr(obj, self.name, value * 2)

class Model:
    a = Field()
    b = Field()

m = Model()
m.a = 5
print(m.a, m.b, type(Model.a).__name__)
try:
    class Bad(Plugin, unknown=1):
        pass
except TypeError as e:
    print(e)
