# partyclaw DSL worker: runs one validated script (tools.md 3.3). The daemon validated the code before starting this
# process; this side adds a second fence (restricted builtins, an address-space limit) and speaks JSON lines with
# the daemon: requests on the original stdout, replies on stdin. The script's own stdout goes to stderr.
import ast, asyncio, builtins, json, os, sys

proto_out = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
os.dup2(2, 1)
proto_in = sys.stdin

def call(op, **fields):
    fields["op"] = op
    proto_out.write(json.dumps(fields) + "\n")
    proto_out.flush()
    line = proto_in.readline()
    if not line:
        os._exit(3)
    reply = json.loads(line)
    if reply.get("error") is not None:
        raise DslError(reply["error"])
    return reply.get("result")

class DslError(Exception):
    pass

class Quit(BaseException):
    def __init__(self, value):
        self.value = value

def emit(text=""):
    call("emit", text=str(text))

def quit(*value):
    raise Quit(value[0] if value else None)

async def tool(request):
    if not isinstance(request, dict):
        raise DslError("tool() takes one dict: {'name': ..., 'args': {...}}")
    name = request.get("name")
    args = request.get("args", {})
    if not isinstance(name, str) or not name:
        raise DslError("tool(): 'name' must be a non-empty string")
    if not isinstance(args, dict):
        raise DslError("tool(): 'args' must be a dict")
    return call("tool", name=name, args=args)

class LLM:
    """A conversation with the caller's model: system prompt, options and the exchanges of this handle so far."""

    def __init__(self):
        self.__system = None
        self.__config = {}
        self.__history = []

    def system(self, text):
        self.__system = str(text)
        return self

    def config(self, **kw):
        if "model" in kw:
            raise DslError("LLM().config() does not take model: DSL calls use the caller's model")
        self.__config.update(kw)
        return self

    def fork(self):
        other = LLM()
        other.__system = self.__system
        other.__config = dict(self.__config)
        other.__history = list(self.__history)
        return other

    async def gen(self, prompt, **fmt):
        text = str(prompt).format(**fmt) if fmt else str(prompt)
        messages = ([{"role": "system", "content": self.__system}] if self.__system else []) + self.__history
        messages = messages + [{"role": "user", "content": text}]
        reply = call("llm", messages=messages, config=self.__config)
        self.__history = self.__history + [{"role": "user", "content": text}, {"role": "assistant", "content": reply}]
        return reply

    async def json(self, prompt, **fmt):
        reply = await self.gen(str(prompt) + "\n\nAnswer with JSON only, no prose and no code fence.", **fmt)
        text = reply.strip()
        if text.startswith("```"):
            text = text.split("\n", 1)[1] if "\n" in text else ""
            text = text.rsplit("```", 1)[0]
        try:
            return json.loads(text)
        except ValueError:
            raise DslError("LLM().json(): the model's answer is not JSON: " + reply[:200])

    async def select(self, prompt, choices):
        choices = [str(c) for c in choices]
        if not choices:
            raise DslError("LLM().select() needs at least one choice")
        reply = await self.gen(str(prompt) + "\n\nAnswer with exactly one of: " + json.dumps(choices))
        answer = reply.strip().strip('"').strip()
        for c in choices:
            if answer == c:
                return c
        for c in choices:
            if answer.lower() == c.lower():
                return c
        matches = [c for c in choices if c.lower() in answer.lower()]
        if len(matches) == 1:
            return matches[0]
        raise DslError("LLM().select(): the model answered none of the choices: " + reply[:200])

ALLOWED = ["abs", "all", "any", "bool", "dict", "enumerate", "float", "int", "len", "list", "max", "min", "range",
           "round", "sorted", "str", "sum", "tuple", "type", "zip", "True", "False", "None"]

def main():
    request = json.loads(proto_in.readline())
    try:
        import resource
        limit = int(request.get("max_memory_bytes", 0))
        if limit > 0:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except Exception:
        pass
    safe = {k: getattr(builtins, k) for k in ALLOWED if hasattr(builtins, k)}
    env = {"__builtins__": safe, "emit": emit, "quit": quit, "LLM": LLM, "tool": tool}
    try:
        code = compile(request["code"], "<dsl>", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True)
        result = eval(code, env)
        if asyncio.iscoroutine(result):
            asyncio.run(result)
        call("done", quit=False)
    except Quit as q:
        value = q.value
        try:
            json.dumps(value)
        except (TypeError, ValueError):
            value = str(value)
        call("done", quit=True, value=value)
    except MemoryError:
        call("failed", error="DSL exceeded its memory limit")
    except BaseException as e:
        line = None
        tb = e.__traceback__
        while tb is not None:
            if tb.tb_frame.f_code.co_filename == "<dsl>":
                line = tb.tb_lineno
            tb = tb.tb_next
        where = " (line %d)" % line if line else ""
        call("failed", error="%s%s: %s" % (type(e).__name__, where, e))

main()
