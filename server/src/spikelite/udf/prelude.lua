-- spikelite's Lua side of the UDF environment: the list, map, bytes, geojson, record and
-- aerospike objects user modules are written against, and the sandbox they run in.
--
-- This chunk runs once per Lua state with one argument, `host`: a table of Python callbacks
-- (logging, timeout checks). It returns the table of entry points spikelite calls. Python
-- objects never reach user code: user code only sees Lua closures that wrap them.

local host = ...
local host_log, host_check = host.log, host.check
local H = {}                       -- entry points for spikelite (not visible to user code)

local rawget, rawset, setmetatable, getmetatable = rawget, rawset, setmetatable, getmetatable
local type, tostring, select, error, pairs, next = type, tostring, select, error, pairs, next
local tconcat, tinsert, tremove = table.concat, table.insert, table.remove
local sformat, schar, sbyte, ssub = string.format, string.char, string.byte, string.sub

local KIND = setmetatable({}, {__mode = "k"})   -- metatable -> kind name

local function kind_of(v)
  if type(v) ~= "table" then return nil end
  local mt = getmetatable(v)
  if mt == nil then return nil end
  return KIND[mt]
end

local function show(v)
  if type(v) == "string" then return v end
  return tostring(v)
end

-- list ---------------------------------------------------------------------------------------
-- {_n = size, _v = {values}}: nil elements are allowed, so the size is kept apart.

local list = {}
local list_mt = {}
KIND[list_mt] = "list"

local function new_list(values, n)
  return setmetatable({_v = values or {}, _n = n or 0}, list_mt)
end

local function check_list(l, fname)
  if kind_of(l) ~= "list" then error("bad argument #1 to '" .. fname .. "' (List expected)", 3) end
  return l
end

list_mt.__index = function(l, i)
  if type(i) == "number" then return rawget(l, "_v")[i] end
  return nil
end
list_mt.__newindex = function(l, i, v)
  if type(i) ~= "number" or i < 1 or i ~= math.floor(i) then
    error("list index must be a positive integer", 2)
  end
  rawget(l, "_v")[i] = v
  if i > rawget(l, "_n") then rawset(l, "_n", i) end
end
list_mt.__len = function(l) return rawget(l, "_n") end
list_mt.__tostring = function(l)
  local parts, v = {}, rawget(l, "_v")
  for i = 1, rawget(l, "_n") do parts[i] = show(v[i]) end
  return "List(" .. tconcat(parts, ",") .. ")"
end
list_mt.__pairs = function(l)
  local i, n, v = 0, rawget(l, "_n"), rawget(l, "_v")
  return function()
    i = i + 1
    if i <= n then return i, v[i] end
  end, l, nil
end
list_mt.__eq = nil

function list.create(capacity) return new_list({}, 0) end
function list.size(l) return rawget(check_list(l, "size"), "_n") end
function list.append(l, v)
  check_list(l, "append")
  local n = rawget(l, "_n") + 1
  rawget(l, "_v")[n] = v
  rawset(l, "_n", n)
  return l
end
function list.prepend(l, v)
  check_list(l, "prepend")
  local n, vals = rawget(l, "_n"), rawget(l, "_v")
  for i = n, 1, -1 do vals[i + 1] = vals[i] end
  vals[1] = v
  rawset(l, "_n", n + 1)
  return l
end
function list.insert(l, pos, v)
  check_list(l, "insert")
  local n, vals = rawget(l, "_n"), rawget(l, "_v")
  if pos < 1 then error("list.insert: position must be >= 1", 2) end
  if pos > n then
    vals[pos] = v
    rawset(l, "_n", pos)
    return l
  end
  for i = n, pos, -1 do vals[i + 1] = vals[i] end
  vals[pos] = v
  rawset(l, "_n", n + 1)
  return l
end
function list.remove(l, pos)
  check_list(l, "remove")
  local n, vals = rawget(l, "_n"), rawget(l, "_v")
  if pos < 1 or pos > n then return l end
  for i = pos, n - 1 do vals[i] = vals[i + 1] end
  vals[n] = nil
  rawset(l, "_n", n - 1)
  return l
end
function list.take(l, count)
  check_list(l, "take")
  local vals, out = rawget(l, "_v"), {}
  local n = math.min(count, rawget(l, "_n"))
  for i = 1, n do out[i] = vals[i] end
  return new_list(out, math.max(n, 0))
end
function list.drop(l, count)
  check_list(l, "drop")
  local vals, out, n = rawget(l, "_v"), {}, rawget(l, "_n")
  local k = 0
  for i = count + 1, n do k = k + 1; out[k] = vals[i] end
  return new_list(out, k)
end
function list.trim(l, pos)
  check_list(l, "trim")
  local vals, n = rawget(l, "_v"), rawget(l, "_n")
  for i = pos, n do vals[i] = nil end
  if pos - 1 < n then rawset(l, "_n", math.max(pos - 1, 0)) end
  return l
end
function list.clone(l)
  check_list(l, "clone")
  local vals, out, n = rawget(l, "_v"), {}, rawget(l, "_n")
  for i = 1, n do out[i] = vals[i] end
  return new_list(out, n)
end
function list.concat(l, other)
  check_list(l, "concat"); check_list(other, "concat")
  local vals, n = rawget(l, "_v"), rawget(l, "_n")
  local ovals = rawget(other, "_v")
  for i = 1, rawget(other, "_n") do vals[n + i] = ovals[i] end
  rawset(l, "_n", n + rawget(other, "_n"))
  return l
end
function list.merge(l, other)
  return list.concat(list.clone(l), other)
end
function list.iterator(l)
  check_list(l, "iterator")
  local i, n, vals = 0, rawget(l, "_n"), rawget(l, "_v")
  return function()
    i = i + 1
    if i <= n then return vals[i] end
  end
end
function list.tostring(l) return tostring(l) end
setmetatable(list, {__call = function(_, t)
  if t == nil then return new_list({}, 0) end
  local out, n = {}, #t
  for i = 1, n do out[i] = t[i] end
  return new_list(out, n)
end})

-- map ----------------------------------------------------------------------------------------
-- {_k = {keys in insertion order}, _v = {key -> value}}

local map = {}
local map_mt = {}
KIND[map_mt] = "map"

local function new_map() return setmetatable({_k = {}, _v = {}}, map_mt) end
-- mod-lua keeps an entry set to nil (m[k] = nil stores a nil value): such values are NILV in _v
local NILV = {}
local function unnil(v) if v == NILV then return nil end return v end

local function check_map(m, fname)
  if kind_of(m) ~= "map" then error("bad argument #1 to '" .. fname .. "' (Map expected)", 3) end
  return m
end

local function map_remove_key(m, k)
  local keys = rawget(m, "_k")
  for i = 1, #keys do
    if keys[i] == k then tremove(keys, i); break end
  end
  rawget(m, "_v")[k] = nil
end

local function map_put(m, k, v)
  if k == nil then error("map key is nil", 3) end
  local vals = rawget(m, "_v")
  if vals[k] == nil then tinsert(rawget(m, "_k"), k) end
  if v == nil then v = NILV end
  vals[k] = v
end

map_mt.__index = function(m, k) return unnil(rawget(m, "_v")[k]) end
map_mt.__newindex = function(m, k, v) map_put(m, k, v) end
map_mt.__len = function(m) return #rawget(m, "_k") end
map_mt.__tostring = function(m)
  local parts, keys, vals = {}, rawget(m, "_k"), rawget(m, "_v")
  for i = 1, #keys do parts[i] = show(keys[i]) .. "=" .. show(unnil(vals[keys[i]])) end
  return "Map(" .. tconcat(parts, ",") .. ")"
end
local function map_pairs(m)
  local keys, vals, i = rawget(m, "_k"), rawget(m, "_v"), 0
  return function()
    i = i + 1
    local k = keys[i]
    if k ~= nil then return k, unnil(vals[k]) end
  end
end
map_mt.__pairs = function(m) return map_pairs(m), m, nil end

function map.create(capacity) return new_map() end
function map.size(m) return #rawget(check_map(m, "size"), "_k") end
function map.pairs(m) return map_pairs(check_map(m, "pairs")) end
function map.iterator(m) return map_pairs(check_map(m, "iterator")) end
function map.keys(m)
  local keys, i = rawget(check_map(m, "keys"), "_k"), 0
  return function() i = i + 1; return keys[i] end
end
function map.values(m)
  local keys, vals, i = rawget(check_map(m, "values"), "_k"), rawget(m, "_v"), 0
  return function()
    i = i + 1
    local k = keys[i]
    if k ~= nil then return unnil(vals[k]) end
  end
end
function map.remove(m, k) check_map(m, "remove"); map_remove_key(m, k); return m end
function map.clone(m)
  local out = new_map()
  for k, v in map_pairs(check_map(m, "clone")) do map_put(out, k, v) end
  return out
end
function map.merge(a, b, f)
  local out = map.clone(a)
  for k, v in map_pairs(check_map(b, "merge")) do
    local old = unnil(rawget(out, "_v")[k])
    if old ~= nil and f ~= nil then v = f(old, v) end
    map_put(out, k, v)
  end
  return out
end
function map.diff(a, b)
  check_map(a, "diff"); check_map(b, "diff")
  local out = new_map()
  for k, v in map_pairs(a) do if rawget(b, "_v")[k] == nil then map_put(out, k, v) end end
  for k, v in map_pairs(b) do if rawget(a, "_v")[k] == nil then map_put(out, k, v) end end
  return out
end
function map.tostring(m) return tostring(m) end
setmetatable(map, {__call = function(_, t)
  local m = new_map()
  if t ~= nil then for k, v in next, t, nil do map_put(m, k, v) end end
  return m
end})

-- bytes --------------------------------------------------------------------------------------
-- {_s = contents, _t = particle type}; positions are 1-based.

local bytes = {}
local bytes_mt = {}
KIND[bytes_mt] = "bytes"

local function new_bytes(s, t) return setmetatable({_s = s or "", _t = t or 4}, bytes_mt) end
local function check_bytes(b, fname)
  if kind_of(b) ~= "bytes" then error("bad argument #1 to '" .. fname .. "' (Bytes expected)", 3) end
  return b
end
local function bytes_write(b, pos, s)
  local cur = rawget(b, "_s")
  if pos < 1 then return false end
  if pos - 1 > #cur then cur = cur .. string.rep("\0", pos - 1 - #cur) end
  rawset(b, "_s", ssub(cur, 1, pos - 1) .. s .. ssub(cur, pos + #s))
  return true
end

bytes_mt.__index = function(b, i)
  if type(i) == "number" then return sbyte(rawget(b, "_s"), i) end
  return nil
end
bytes_mt.__newindex = function(b, i, v)
  if type(i) ~= "number" then error("bytes index must be a number", 2) end
  bytes_write(b, i, schar(v))
end
bytes_mt.__len = function(b) return #rawget(b, "_s") end
bytes_mt.__tostring = function(b)
  local s, parts = rawget(b, "_s"), {}
  for i = 1, #s do parts[i] = sformat("%02X", sbyte(s, i)) end
  return "Bytes(" .. tconcat(parts, " ") .. ")"
end

function bytes.size(b) return #rawget(check_bytes(b, "size"), "_s") end
function bytes.get_type(b) return rawget(check_bytes(b, "get_type"), "_t") end
function bytes.set_type(b, t) rawset(check_bytes(b, "set_type"), "_t", t); return true end
function bytes.get_byte(b, pos) return sbyte(rawget(check_bytes(b, "get_byte"), "_s"), pos) end
function bytes.set_byte(b, pos, v) return bytes_write(check_bytes(b, "set_byte"), pos, schar(v)) end
function bytes.get_string(b, pos, len)
  return ssub(rawget(check_bytes(b, "get_string"), "_s"), pos, pos + len - 1)
end
function bytes.set_string(b, pos, s) return bytes_write(check_bytes(b, "set_string"), pos, s) end
function bytes.get_bytes(b, pos, len)
  return new_bytes(ssub(rawget(check_bytes(b, "get_bytes"), "_s"), pos, pos + len - 1))
end
function bytes.set_bytes(b, pos, other)
  return bytes_write(check_bytes(b, "set_bytes"), pos, rawget(check_bytes(other, "set_bytes"), "_s"))
end
function bytes.append_string(b, s) rawset(check_bytes(b, "append_string"), "_s", rawget(b, "_s") .. s); return true end
function bytes.append_bytes(b, other, len)
  local s = rawget(check_bytes(other, "append_bytes"), "_s")
  if len ~= nil then s = ssub(s, 1, len) end
  rawset(check_bytes(b, "append_bytes"), "_s", rawget(b, "_s") .. s)
  return true
end
function bytes.append_byte(b, v) rawset(check_bytes(b, "append_byte"), "_s", rawget(b, "_s") .. schar(v)); return true end
function bytes.set_size(b, n)
  local s = rawget(check_bytes(b, "set_size"), "_s")
  if n <= #s then s = ssub(s, 1, n) else s = s .. string.rep("\0", n - #s) end
  rawset(b, "_s", s)
  return true
end
function bytes.tostring(b) return tostring(b) end
setmetatable(bytes, {__call = function(_, n)
  return new_bytes(string.rep("\0", n or 0))
end})

-- geojson ------------------------------------------------------------------------------------

local geojson = {}
local geojson_mt = {}
KIND[geojson_mt] = "geojson"
local function new_geojson(s) return setmetatable({_s = s}, geojson_mt) end
geojson_mt.__tostring = function(g) return rawget(g, "_s") end
geojson_mt.__index = function() return nil end
function geojson.new(s) return new_geojson(s) end
function geojson.tostring(g) return rawget(g, "_s") end
setmetatable(geojson, {__call = function(_, s) return new_geojson(s) end})

-- record -------------------------------------------------------------------------------------
-- A record wraps `ops`, Python callbacks for one execution: get(name), set(name, value),
-- meta(what), act(what, arg).

local record = {}
local record_mt = {__metatable = "record"}
local record_ops = setmetatable({}, {__mode = "k"})
KIND[record_mt] = "record"

local function ops_of(r, fname)
  local ops = record_ops[r]
  if ops == nil then error("bad argument #1 to '" .. fname .. "' (Record expected)", 3) end
  return ops
end

record_mt.__index = function(r, name)
  if type(name) ~= "string" then return nil end
  return record_ops[r].get(name)
end
record_mt.__newindex = function(r, name, v)
  if type(name) ~= "string" then error("bin name must be a string", 2) end
  local ok, message = record_ops[r].set(name, v)
  if not ok then error(message, 0) end
end
record_mt.__tostring = function(r) return "Record()" end

function H.new_record(ops)
  local r = setmetatable({}, record_mt)
  record_ops[r] = ops
  return r
end

function record.ttl(r) return ops_of(r, "ttl").meta("ttl") end
function record.gen(r) return ops_of(r, "gen").meta("gen") end
function record.key(r) return ops_of(r, "key").meta("key") end
function record.setname(r) return ops_of(r, "setname").meta("setname") end
function record.digest(r) return ops_of(r, "digest").meta("digest") end
function record.numbins(r) return ops_of(r, "numbins").meta("numbins") end
function record.last_update_time(r) return ops_of(r, "last_update_time").meta("last_update_time") end
function record.device_size(r) return ops_of(r, "device_size").meta("size") end
function record.memory_size(r) return ops_of(r, "memory_size").meta("size") end
function record.size(r) return ops_of(r, "size").meta("size") end
-- mod-lua answers a plain Lua table (an array of names), not a list
function record.bin_names(r)
  local names = ops_of(r, "bin_names").meta("bin_names")
  if names == nil then error("can't get bin names", 2) end
  local out = {}
  for i = 1, #names do out[i] = names[i] end
  return out
end
function record.set_ttl(r, ttl) return ops_of(r, "set_ttl").act("set_ttl", ttl) end
function record.drop_key(r) return ops_of(r, "drop_key").act("drop_key") end
function record.set_type(r, t) return 0 end
function record.set_flags(r, bin, flags) return 0 end

-- aerospike ----------------------------------------------------------------------------------

local function log(level, fmt, ...)
  local message
  if select("#", ...) > 0 then message = sformat(fmt, ...) else message = show(fmt) end
  host_log(level, message)
  return 0
end

local aerospike = {}
function aerospike:create(r) return ops_of(r, "create").act("create") end
function aerospike:update(r) return ops_of(r, "update").act("update") end
function aerospike:exists(r) return ops_of(r, "exists").act("exists") end
function aerospike:remove(r) return ops_of(r, "remove").act("remove") end
function aerospike:log(level, message) return log(level, "%s", message) end
function aerospike:get_current_time() return host.now() end
function aerospike:set_context() return 0 end
function aerospike:get_config() return 0 end

-- value conversion helpers for Python ---------------------------------------------------------

H.kind = kind_of
function H.list_parts(l) return rawget(l, "_v"), rawget(l, "_n") end
function H.map_parts(m)
  local keys, vals = rawget(m, "_k"), rawget(m, "_v")
  local out = {}
  for i = 1, #keys do out[i] = unnil(vals[keys[i]]) end
  return keys, out, #keys
end
function H.bytes_parts(b) return rawget(b, "_s"), rawget(b, "_t") end
function H.geojson_text(g) return rawget(g, "_s") end
H.new_list = new_list
function H.new_map(keys, values, n)
  local m = new_map()
  for i = 1, n do map_put(m, keys[i], values[i]) end
  return m
end
H.new_bytes = new_bytes
H.new_geojson = new_geojson

-- streams (aggregation) ------------------------------------------------------------------------
-- A stream UDF gets a stream and chains map/filter/aggregate/reduce/groupby on it; spikelite runs
-- the ops up to and including the first reduce on the server, the client runs the rest from that
-- reduce on (the reduce runs on both sides, merging the nodes' partial results).

local stream_methods = {}
local stream_mt = {__index = stream_methods}
KIND[stream_mt] = "stream"
local ON_SERVER, ON_BOTH = 1, 3

local function add_op(s, op)
  local ops = rawget(s, "_ops")
  ops[#ops + 1] = op
  return s
end
function stream_methods:map(f) return add_op(self, {kind = "map", fn = f, scope = ON_SERVER}) end
function stream_methods:filter(f) return add_op(self, {kind = "filter", fn = f, scope = ON_SERVER}) end
function stream_methods:aggregate(init, f)
  return add_op(self, {kind = "aggregate", fn = f, init = init, scope = ON_SERVER})
end
function stream_methods:reduce(f) return add_op(self, {kind = "reduce", fn = f, scope = ON_BOTH}) end
-- groupby(f): values grouped in a map by f(value), each group a list; groups merge on reduce
function stream_methods:groupby(f)
  add_op(self, {kind = "aggregate", init = nil, scope = ON_SERVER, fn = function(groups, v)
    if groups == nil then groups = map() end
    local k = f(v)
    local group = groups[k]
    if group == nil then group = list(); groups[k] = group end
    list.append(group, v)
    return groups
  end})
  return add_op(self, {kind = "reduce", scope = ON_BOTH, fn = function(a, b)
    return map.merge(a, b, function(x, y) return list.merge(x, y) end)
  end})
end

-- The ops a stream function chains: env[fname](stream, ...).
function H.stream_ops(env, fname, ...)
  local f = rawget(env, fname)
  if type(f) ~= "function" then error("function not found", 0) end
  local s = setmetatable({_ops = {}}, stream_mt)
  f(s, ...)
  return rawget(s, "_ops")
end

-- Runs a stream function's ops of one side (client true/false) in protected mode:
-- true, values, count or false, error.
function H.stream_run(env, fname, client, next_value, ...)
  local args = table.pack(...)
  return pcall(function()
    local ops = H.side_ops(H.stream_ops(env, fname, table.unpack(args, 1, args.n)), client)
    return H.run_ops(ops, next_value)
  end)
end

-- A node runs the server side once per partition; when that side ends in a reduce, it folds the
-- partitions' results with that reduce (left to right) into one value: true, values, count or
-- false, error. Without a reduce the values pass unchanged.
function H.stream_merge(env, fname, next_value, ...)
  local args = table.pack(...)
  return pcall(function()
    local ops = H.side_ops(H.stream_ops(env, fname, table.unpack(args, 1, args.n)), false)
    local last = ops[#ops]
    if last == nil or last.kind ~= "reduce" then return H.run_ops({}, next_value) end
    return H.run_ops({last}, next_value)
  end)
end

-- The ops of one side: the server runs them up to and including the first reduce, the client from
-- that reduce on (nothing when there is no reduce).
function H.side_ops(ops, client)
  local out, phase_client = {}, false
  for _, op in ipairs(ops) do
    if not phase_client then
      if not client then out[#out + 1] = op end
      if op.scope == ON_BOTH then
        phase_client = true
        if client then out[#out + 1] = op end
      end
    elseif client then
      out[#out + 1] = op
    end
  end
  return out
end

local function fold(op, acc, have, v)
  if op.kind == "aggregate" then return op.fn(acc, v), true end
  if have then return op.fn(acc, v), true end
  return v, true
end

-- Runs ops over the values next_value() yields (until nil); returns the output values and count.
function H.run_ops(ops, next_value)
  local first_fold = #ops + 1
  for k, op in ipairs(ops) do
    if op.kind == "aggregate" or op.kind == "reduce" then first_fold = k; break end
  end
  local out, n = {}, 0
  local fold_op = ops[first_fold]
  local acc, have = nil, false
  if fold_op ~= nil and fold_op.kind == "aggregate" then acc, have = fold_op.init, true end
  while true do
    local v = next_value()
    if v == nil then break end
    for k = 1, first_fold - 1 do
      local op = ops[k]
      if op.kind == "map" then v = op.fn(v)
      elseif not op.fn(v) then v = nil end
      if v == nil then break end
    end
    if v ~= nil then
      if fold_op == nil then n = n + 1; out[n] = v
      else acc, have = fold(fold_op, acc, have, v) end
    end
  end
  if fold_op == nil then return out, n end
  if have and acc ~= nil then out, n = {acc}, 1 else out, n = {}, 0 end
  for k = first_fold + 1, #ops do
    local op = ops[k]
    local next_out, m = {}, 0
    if op.kind == "map" or op.kind == "filter" then
      for i = 1, n do
        local v = out[i]
        if op.kind == "map" then v = op.fn(v) elseif not op.fn(v) then v = nil end
        if v ~= nil then m = m + 1; next_out[m] = v end
      end
    else
      local a, h = nil, false
      if op.kind == "aggregate" then a, h = op.init, true end
      for i = 1, n do a, h = fold(op, a, h, out[i]) end
      if h and a ~= nil then next_out, m = {a}, 1 end
    end
    out, n = next_out, m
  end
  return out, n
end

-- the sandbox --------------------------------------------------------------------------------

local function copy(t, names)
  local out = {}
  for _, name in pairs(names) do out[name] = t[name] end
  return out
end

local safe_string = copy(string, {"byte", "char", "find", "format", "gmatch", "gsub", "len", "lower",
                                  "match", "rep", "reverse", "sub", "upper", "pack", "packsize",
                                  "unpack"})
-- string methods ("abc"):upper() go through the shared string metatable: make it the safe copy
getmetatable("").__index = safe_string
string.dump = nil

local safe_os = {clock = os.clock, date = os.date, difftime = os.difftime, time = os.time}

-- the hook that stops a runaway UDF: spikelite's check() raises once the deadline has passed
local sethook = debug.sethook
local timed_out = false
local function timer_hook()
  if timed_out or host_check() then
    timed_out = true
    error("UDF Execution Timeout", 2)
  end
end
function H.arm(count) timed_out = false; sethook(timer_hook, "", count) end
function H.disarm() sethook() end

-- pcall/xpcall for user code: a timeout cannot be caught
local function after_pcall(...)
  if timed_out then error("UDF Execution Timeout", 0) end
  return ...
end
local function safe_pcall(f, ...) return after_pcall(pcall(f, ...)) end
local function safe_xpcall(f, handler, ...) return after_pcall(xpcall(f, handler, ...)) end


-- type() as mod-lua answers it: its lists, maps, bytes, GeoJSON, records and streams are userdata
local function user_type(v)
  if kind_of(v) ~= nil then return "userdata" end
  return type(v)
end

function H.new_env()
  local env = {
    assert = assert, error = error, ipairs = ipairs, next = next, pairs = pairs, pcall = safe_pcall,
    xpcall = safe_xpcall, select = select, tonumber = tonumber, tostring = tostring, type = user_type,
    rawequal = rawequal, rawget = rawget, rawset = rawset, rawlen = rawlen,
    setmetatable = setmetatable, getmetatable = getmetatable, unpack = table.unpack,
    string = safe_string, table = copy(table, {"concat", "insert", "move", "pack", "remove", "sort", "unpack"}),
    math = copy(math, {"abs", "ceil", "cos", "deg", "exp", "floor", "fmod", "huge", "log", "max",
                       "maxinteger", "min", "mininteger", "modf", "pi", "rad", "random", "randomseed",
                       "sin", "sqrt", "tan", "tointeger", "type", "ult", "acos", "asin", "atan"}),
    utf8 = copy(utf8, {"char", "charpattern", "codes", "codepoint", "len", "offset"}),
    os = safe_os,
    list = list, map = map, bytes = bytes, geojson = geojson, record = record,
    aerospike = aerospike,
    trace = function(...) return log(4, ...) end,
    debug = function(...) return log(3, ...) end,
    info = function(...) return log(2, ...) end,
    warn = function(...) return log(1, ...) end,
    print = function(...)
      local parts = {}
      for i = 1, select("#", ...) do parts[i] = show((select(i, ...))) end
      host_log(2, tconcat(parts, "\t"))
    end,
  }
  env._G = env
  env.load = function(chunk, name, mode, chunk_env)
    if type(chunk) ~= "string" then return nil, "load: only strings are accepted" end
    return load(chunk, name, "t", chunk_env or env)
  end
  local required = {}
  env.require = function(name)
    local done = required[name]
    if done ~= nil then return done end
    local source, chunkname = host.source(name)
    if source == nil then error("module '" .. tostring(name) .. "' not found", 2) end
    local chunk, err = load(source, chunkname, "t", env)
    if chunk == nil then error(err, 2) end
    local result = chunk(name)
    if result == nil then result = true end
    required[name] = result
    return result
  end
  return env
end

-- Loads one module's source into a fresh environment; returns the environment or nil, error.
function H.load_module(source, chunkname)
  local env = H.new_env()
  local chunk, err = load(source, chunkname, "t", env)
  if chunk == nil then return nil, err end
  local ok, result = pcall(chunk)
  if not ok then return nil, result end
  return env, result
end

-- Calls env[fname](...) the way the server's apply_record does.
function H.call(env, fname, ...)
  local f = rawget(env, fname)
  if type(f) ~= "function" then return false, "function not found" end
  return pcall(f, ...)
end

return H
