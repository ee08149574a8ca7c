-- Record UDF used by examples/quickstart.py: add `by` to an integer bin, return the new value.
function add(rec, bin, by)
    rec[bin] = (rec[bin] or 0) + by
    aerospike:update(rec)
    return rec[bin]
end
