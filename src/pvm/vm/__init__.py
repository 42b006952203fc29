"""pvm.vm: the virtual machine that runs pvm code objects, and the one seam above it.

The path an instruction takes, with the file to read for each step:

  1. decode         decode.py        each CodeObject once into (internal_op, arg) pairs:
                                     operands resolved, superinstructions fused
  2. dispatch       interpreter.py   _run: an if-tree over the hot ops, the rest through
                                     the table; _unwind: the exception table;
                                     run_frame, call_function, run_code: entries from host
  3. handlers       handlers.py      HANDLERS, one function per table op (by opcode name);
                    handlers_flow.py await, except/except*, with; handlers_match.py
                                     imports and match; support.py shared lookups
  4. frames and     frame.py         Frame: f_code, f_back, f_lasti, fast, cells, stack
     threads        threadstate.py   ThreadState: innermost frame, handled exception
                    vmstate.py       VM (recursion limits, builtins)
  5. guest objects  function.py      Function and argument binding
                    generator.py     generators, coroutines, async generators
                    classes.py       __build_class__, zero-argument super()
                    null.py          NULL;  guesttb.py  where exceptions keep guest frames
  6. the seam       hooks.py         what the layers above plug in: services (provide()),
                                     eval-breaker request bits, GIL hooks, handler
                                     overrides, where a thread's loop is
                    events.py        publish/subscribe topics for observers
                    trace.py         sys.settrace/setprofile and the step observer

The vm imports nothing above itself (tests/test_layering.py); the layers above plug
into it through hooks.py and events.py.  docs/internals.md maps the whole of pvm.
"""
