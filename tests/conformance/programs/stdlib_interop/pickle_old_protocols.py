"""Pickle protocols 0 and 1 reduce instances through copyreg._reconstructor, the guest's own."""

import collections
import copyreg
import pickle


class C:
    def __init__(self):
        self.a = 1


Point = collections.namedtuple("Point", "x y")

for proto in range(pickle.HIGHEST_PROTOCOL + 1):
    func = C().__reduce_ex__(proto)[0]
    print(proto, func.__name__, func in (copyreg._reconstructor, copyreg.__newobj__))
    print(vars(pickle.loads(pickle.dumps(C(), proto))))
    chain = collections.ChainMap({"c": 30}, {"a": 1})
    print(pickle.loads(pickle.dumps(chain, proto)))
    print(pickle.loads(pickle.dumps(Point(1, 2), proto)))
