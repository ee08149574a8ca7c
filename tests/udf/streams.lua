-- Stream UDFs (aggregations) used by the behaviour tests.

local function bin_value(name)
  return function(rec) return rec[name] end
end

function values(stream, name)
  return stream : map(bin_value(name))
end

function above(stream, name, limit)
  return stream : filter(function(rec) return rec[name] > limit end) : map(bin_value(name))
end

function sum(stream, name)
  return stream : map(bin_value(name)) : reduce(function(a, b) return a + b end)
end

function count(stream)
  return stream : aggregate(0, function(n, rec) return n + 1 end)
                : reduce(function(a, b) return a + b end)
end

function stats(stream, name)
  local function add(m, rec)
    local v = rec[name]
    m["count"] = (m["count"] or 0) + 1
    m["sum"] = (m["sum"] or 0) + v
    if m["max"] == nil or v > m["max"] then m["max"] = v end
    return m
  end
  -- A real node aggregates each partition's records on its own and reduces the partial maps, so
  -- the merge must add counts and sums (even equal ones) and keep the larger max.
  local function merge(a, b)
    local m = map.merge(a, b, function(x, y) return x + y end)
    local ma, mb = a["max"], b["max"]
    if ma == nil or (mb ~= nil and mb > ma) then m["max"] = mb else m["max"] = ma end
    return m
  end
  return stream : aggregate(map(), add) : reduce(merge)
end

function by_parity(stream, name)
  return stream : map(bin_value(name))
                : groupby(function(v) if v % 2 == 0 then return "even" end return "odd" end)
end

function sum_then_double(stream, name)
  return stream : map(bin_value(name)) : reduce(function(a, b) return a + b end)
                : map(function(total) return total * 2 end)
end

function broken(stream)
  return stream : map(function(rec) error("stream boom") end)
end

-- one count per stream run without a reduce (a node runs the stream once per partition)
function partition_counts(stream)
  return stream : aggregate(0, function(n, rec) return n + 1 end)
end

-- each run's bin values in a list; the reduce nests two results in a pair, so the answer shows
-- how a node grouped and merged them
function partition_groups(stream, bin)
  local function add(acc, rec) list.append(acc, rec[bin]); return acc end
  local function pair(a, b) return list{"pair", a, b} end
  return stream : aggregate(list(), add) : reduce(pair)
end
