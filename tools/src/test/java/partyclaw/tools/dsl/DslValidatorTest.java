package partyclaw.tools.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What the DSL accepts and what it refuses before running, case by case (tools.md §3.3). */
class DslValidatorTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "x = 1",
      "x = 1\ny = x + 2 * 3 - 4 / 5 // 6 % 7 ** 2\nquit(y)",
      "a, b = 1, 2\n(c, d) = [a, b]\n[e, f] = (c, d)\nquit(e + f)",
      "x = y = 3\nquit(x)",
      "x = 1\nx += 2\nx -= 1\nx *= 3\nx //= 2\nquit(x)",
      "d = {'a': 1, 'b': [1, 2, (3,)]}\nd['c'] = 2\nd['a'] += 1\nquit(d)",
      "s = {1, 2}\nt = ()\nu = (1,)\nv = []\nquit(len(s) + len(t) + len(u) + len(v))",
      "x = 5\nif x > 3:\n    emit('big')\nelif x == 3:\n    emit('three')\nelse:\n    pass\n",
      "x = 1\nif x: emit('one')\n",
      "x = 1\nif x:\n    if x > 0:\n        emit('nested')\n    else:\n        emit('no')\nquit(x)",
      "llm = LLM().system('be brief').config(temperature=0)\nr = await llm.gen('hi {name}', name='bob')\nquit(r)",
      "r = await tool({'name': 'file_read', 'args': {'file_path': 'a.txt'}})\nquit(r['content'])",
      "x = [3, 1, 2]\ny = sorted(x)[1:]\nz = x[::2]\nw = x[-1]\nquit(sum(y) + min(z) + max(w, 0))",
      "x = 'a b'.split()\nquit(','.join(x).upper().strip())",
      "x = 1 if True else 2\ny = not x and x or None\nquit(x is not None and y is None)",
      "x = 3\nquit(1 < x <= 5 and x in [3] and x not in (4,))",
      "name = 'w'\nquit(f'hello {name!r:>10} {1 + 2} {{literal}}')",
      "x = \"\"\"multi\nline\"\"\"\ny = r'\\d+' 'concat'\nquit(x + y)",
      "x = (1 +\n     2)\ny = 3 + \\\n    4\nquit(x + y)",
      "# a comment\n\nx = 1  # trailing\n\n\nquit(x)",
      "x = -1\ny = ~x\nz = +x\nquit(abs(x) + y + z + 0x1f + 1_000 + 1.5e3 + .5)",
      "emit('a'); emit('b')\nquit()",
      "x = dict(a=1, **{'b': 2})\ny = list(*[[1, 2]])\nquit([x, y, list(zip(range(2), enumerate('ab')))])",
      "assert 1 == 1, 'math works'\nquit(type(1) == int)",
      "a = LLM()\nb = a.fork()\nc = await b.select('pick', ['x', 'y'])\nd = await a.json('give json')\nquit([c, d])",
      "x = ...\nquit(x)",
  })
  void accepts(String code) {
    assertNull(DslValidator.problem(code), () -> "refused: " + code);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      for i in range(3):\\n    emit(str(i))              | line 1: loops are not allowed
      x = 1\\nwhile x:\\n    x = 0                        | line 2: loops are not allowed
      import os                                          | line 1: import is not allowed
      from os import path                                | line 1: import is not allowed
      x = 1\\nimport sys                                  | line 2: import is not allowed
      def f():\\n    pass                                | line 1: function definitions (def) are not allowed
      class A:\\n    pass                                | line 1: class definitions are not allowed
      f = lambda x: x                                    | line 1: lambda is not allowed
      with open('x') as f:\\n    pass                    | line 1: with blocks are not allowed
      try:\\n    x = 1\\nexcept Exception:\\n    pass     | line 1: try blocks are not allowed
      return 1                                           | line 1: return is not allowed (use quit(value))
      yield 1                                            | line 1: yield is not allowed
      x = yield                                          | line 1: yield is not allowed
      global x                                           | line 1: global is not allowed
      nonlocal x                                         | line 1: nonlocal is not allowed
      x = 1\\ndel x                                       | line 2: del is not allowed
      raise ValueError('x')                              | line 1: raise is not allowed
      async def f():\\n    pass                          | line 1: async definitions are not allowed (use top-level await)
      break                                              | line 1: break is not allowed (there are no loops)
      x = [i for i in range(3)]                          | line 1: comprehensions and generator expressions are not allowed
      x = {k: 1 for k in 'ab'}                           | line 1: comprehensions and generator expressions are not allowed
      x = sum(i for i in range(3))                       | line 1: comprehensions and generator expressions are not allowed
      x = {i for i in 'ab'}                              | line 1: comprehensions and generator expressions are not allowed
      x = _secret                                        | line 1: names starting with '_' are not allowed ('_secret')
      _x = 1                                             | line 1: names starting with '_' are not allowed ('_x')
      x = ().__class__                                   | line 1: attributes starting with '_' are not allowed ('__class__')
      x = 'a'._private                                   | line 1: attributes starting with '_' are not allowed ('_private')
      emit(_end=1)                                       | line 1: names starting with '_' are not allowed ('_end')
      x = eval('1')                                      | line 1: name 'eval' is not available in the DSL (allowed builtins: abs, all, any, bool, dict, enumerate, float, int, len, list, max, min, range, round, sorted, str, sum, tuple, type, zip; globals: emit, quit, LLM, tool)
      x = open('f')                                      | line 1: name 'open' is not available in the DSL (allowed builtins: abs, all, any, bool, dict, enumerate, float, int, len, list, max, min, range, round, sorted, str, sum, tuple, type, zip; globals: emit, quit, LLM, tool)
      x = getattr(1, 'real')                             | line 1: name 'getattr' is not available in the DSL (allowed builtins: abs, all, any, bool, dict, enumerate, float, int, len, list, max, min, range, round, sorted, str, sum, tuple, type, zip; globals: emit, quit, LLM, tool)
      x = f'{__import__("os")}'                          | line 1: names starting with '_' are not allowed ('__import__')
      x = f'{exec("1")}'                                 | line 1: name 'exec' is not available in the DSL (allowed builtins: abs, all, any, bool, dict, enumerate, float, int, len, list, max, min, range, round, sorted, str, sum, tuple, type, zip; globals: emit, quit, LLM, tool)
      x = f'{[i for i in "ab"]}'                         | line 1: comprehensions and generator expressions are not allowed
      r = await tool({'name': 'dsl_start', 'args': {}})  | line 1: the dsl_* tools cannot be called from DSL code
      if (n := 3):\\n    pass                            | line 1: the walrus operator := is not allowed
      x: int = 1                                         | line 1: annotations are not allowed
      @decorator\\nx = 1                                  | line 1: decorators are not allowed
      emit = 1                                           | line 1: cannot assign to 'emit'
      len = 1                                            | line 1: cannot assign to 'len'
      1 = x                                              | line 1: cannot assign to this expression
      f() = 1                                            | line 1: cannot assign to this expression
      x = (1, 2                                          | line 1: unclosed bracket at the end of the code
      x = 'abc                                           | line 1: unterminated string literal
      x = 1\\n    y = 2                                   | line 2: unexpected indent
      if True:\\nx = 1                                    | line 2: expected an indented block
      else:\\n    pass                                   | line 1: 'else' without a matching if
      x = 1 2                                            | line 1: unexpected '2' (one statement per line)
      x = $                                              | line 1: invalid character '$'
      x = 09z                                            | line 1: invalid number literal '09z'
      """)
  void refusesWithTheReason(String code, String reason) {
    assertEquals(reason, DslValidator.problem(code.replace("\\n", "\n")));
  }
}
