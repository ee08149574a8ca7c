-- Record UDFs used by the behaviour and server tests.

function echo(rec, value)
  return value
end

function echo_all(rec, ...)
  return list{...}
end

function type_of(rec, value)  -- type() as mod-lua answers it; userdata told apart by metatable
  local t = type(value)
  if t == "userdata" then
    local mt = getmetatable(value)
    if mt == getmetatable(list()) then return "userdata:list" end
    if mt == getmetatable(map()) then return "userdata:map" end
    if mt == getmetatable(bytes(0)) then return "userdata:bytes" end
    return "userdata:?"
  end
  if t == "number" then return math.type(value) end
  return t
end

function get_bin(rec, name)
  return rec[name]
end

function set_bin(rec, name, value)
  rec[name] = value
  if aerospike:exists(rec) then
    return aerospike:update(rec)
  end
  return aerospike:create(rec)
end

function set_without_commit(rec, name, value)
  rec[name] = value
  return 0
end

function create_only(rec, name, value)
  rec[name] = value
  return aerospike:create(rec)
end

function update_only(rec, name, value)
  rec[name] = value
  return aerospike:update(rec)
end

function remove_record(rec)
  return aerospike:remove(rec)
end

function exists(rec)
  return aerospike:exists(rec)
end

function add(rec, name, delta)
  local current = rec[name] or 0
  rec[name] = current + delta
  if aerospike:exists(rec) then aerospike:update(rec) else aerospike:create(rec) end
  return rec[name]
end

function meta(rec)
  local m = map()
  m["gen"] = record.gen(rec)
  m["ttl"] = record.ttl(rec)
  m["numbins"] = record.numbins(rec)
  m["setname"] = record.setname(rec)
  m["key"] = record.key(rec)
  m["digest_size"] = bytes.size(record.digest(rec))
  local names = list()
  for _, name in ipairs(record.bin_names(rec)) do list.append(names, name) end  -- a plain table
  m["bin_names"] = names
  return m
end

function touch_with_ttl(rec, ttl)
  record.set_ttl(rec, ttl)
  return aerospike:update(rec)
end

function build(rec)
  local l = list{1, 2, 3}
  list.append(l, "four")
  list.prepend(l, 0)
  local m = map{a = 1}
  m["b"] = l
  m["c"] = 1.5
  local b = bytes(2)
  b[1] = 0xCA
  b[2] = 0xFE
  m["d"] = b
  m["e"] = true
  return m
end

function list_ops(rec, l)
  local out = list()
  for v in list.iterator(l) do list.append(out, v * 2) end
  list.append(out, list.size(l))
  list.append(out, #l)
  return out
end

function map_ops(rec, m)
  local out = map()
  for k, v in map.pairs(m) do out[k] = v + 1 end
  out["size"] = map.size(m)
  return out
end

function fail(rec, message)
  error(message)
end

function fail_table(rec)
  error({code = 1})
end

function bad_arith(rec)
  return nil + 1
end

function forever(rec)
  local n = 0
  while true do n = n + 1 end
end

function forever_pcall(rec)
  while true do pcall(function() while true do end end) end
end

function log_all(rec)
  info("info %d", 1)
  warn("warn %s", "x")
  debug("debug")
  trace("trace")
  return 1
end

function sandbox(rec)
  local out = map()
  out["os"] = type(os)
  out["os.execute"] = type(os.execute)
  out["io"] = type(io)
  out["load"] = type(load)
  out["loadfile"] = type(loadfile)
  out["dofile"] = type(dofile)
  out["debug"] = type(debug)
  out["python"] = type(python)
  out["string.dump"] = type(string.dump)
  out["collectgarbage"] = type(collectgarbage)
  out["socket"] = type(socket)
  return out
end

function set_table_bin(rec)
  rec["t"] = {1, 2}
  return aerospike:update(rec)
end
