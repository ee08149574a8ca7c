"""udf_put / udf_get / udf_remove / job_info argument errors: same classes, messages and
attributes as the official client."""

import os

import aerospike
import pytest
from aerospike import exception as ex
from hypothesis import given, settings
from hypothesis import strategies as st


@pytest.fixture
def lua_dir(tmp_path):
    (tmp_path / "empty.lua").write_bytes(b"")
    return tmp_path


def test_empty_script_is_refused(client, lua_dir):
    with pytest.raises(ex.LuaFileNotFound) as info:
        client.udf_put(str(lua_dir / "empty.lua"))
    assert info.value.code == 1302 and info.value.msg == "Script file is empty"


@pytest.mark.parametrize("name", ["", "dir/"])
def test_empty_file_name(client, lua_dir, name):
    path = "" if not name else str(lua_dir) + os.sep
    with pytest.raises(ex.ParamError) as info:
        client.udf_put(path)
    assert info.value.msg == "Empty udf filename"


def test_missing_script(client, lua_dir):
    with pytest.raises(ex.LuaFileNotFound) as info:
        client.udf_put(str(lua_dir / "missing.lua"))
    assert info.value.msg == "cannot open script file"


def test_server_refusal_names_no_module(spikelite_server, lua_dir):
    (lua_dir / "noext").write_bytes(b"function f(r) return 1 end\n")
    # The official client copies the script into lua user_path ("." by default): keep it in tmp.
    c = aerospike.client({"hosts": [(spikelite_server.host, spikelite_server.port)],
                          "lua": {"user_path": str(lua_dir)}})
    try:
        with pytest.raises(ex.UDFError) as info:
            c.udf_put(str(lua_dir / "noext"))
        assert info.value.module is None and info.value.func is None
    finally:
        c.close()


@settings(max_examples=20, deadline=None)
@given(filename=st.one_of(st.integers(), st.binary(), st.none(), st.lists(st.text(), max_size=2)))
def test_non_str_file_names(client, filename):
    for call in (lambda: client.udf_put(filename), lambda: client.udf_remove(filename)):
        with pytest.raises(ex.ParamError) as info:
            call()
        assert info.value.msg == "Filename should be a string"


@pytest.mark.parametrize("language", [1, -1, 2])
def test_unknown_udf_language(client, language):
    with pytest.raises(ex.ClientError) as info:
        client.udf_put("x.lua", language)
    assert info.value.msg == "Invalid UDF language"


@settings(max_examples=20, deadline=None)
@given(module=st.text(max_size=8).filter(lambda m: m not in ("scan", "query") and "\x00" not in m))
def test_job_info_module(client, module):
    with pytest.raises(ex.ParamError) as info:
        client.job_info(1, module)
    assert info.value.msg == "Module can have only two values: aerospike.JOB_SCAN or aerospike.JOB_QUERY"


def test_job_info_policy_and_id_types(client):
    with pytest.raises(ex.ParamError) as info:
        client.job_info(1, aerospike.JOB_SCAN, "x")
    assert info.value.msg == "policy must be a dict"
    with pytest.raises(TypeError, match=r"^job_info\(\) argument 1 must be int, not float$"):
        client.job_info(1.5, aerospike.JOB_SCAN)
