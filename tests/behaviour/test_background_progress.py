"""A background job runs after the client has its job id, at the records per second asked (a
node throttles it), and reports its progress as a real node does: in progress at first, then
done with every record read; `query-show` names the fields a node names."""

import aerospike
from aerospike_helpers.operations import operations as op

N = 200
RPS = 100  # two seconds of work: the job is still running when the client first asks

#: The fields of a background-ops job in a node's query-show answer, in order.
QUERY_SHOW_FIELDS = ["trid", "ns", "set", "rps", "active-threads", "status", "job-progress", "run-time",
                     "time-since-done", "recs-throttled", "recs-filtered-meta", "recs-filtered-bins",
                     "recs-succeeded", "recs-failed", "from", "job-type", "net-io-bytes", "socket-timeout",
                     "ops-active"]


def _show(client, job_id):
    answers = [text for _, text in client.info_all("query-show:trid=%d" % job_id).values() if text]
    assert len(answers) == 1, answers
    return dict(item.split("=", 1) for item in answers[0].strip().split(":"))


def test_background_job_runs_throttled_and_reports_progress(client, ns, set_name, eventually):
    keys = [(ns, set_name, i) for i in range(N)]
    for key in keys:
        client.put(key, {"v": 1})
    query = client.query(ns, set_name)
    query.add_ops([op.write("w", 7)])
    query.records_per_second = RPS
    job_id = query.execute_background()
    first = client.job_info(job_id, aerospike.JOB_QUERY)
    assert first["status"] == aerospike.JOB_STATUS_INPROGRESS and first["progress_pct"] < 100
    shown = _show(client, job_id)
    assert list(shown) == QUERY_SHOW_FIELDS
    assert shown["status"] == "active(ok)" and shown["job-type"] == "background-ops"
    assert shown["rps"] == str(RPS) and shown["set"] == set_name
    eventually(lambda: client.job_info(job_id, aerospike.JOB_QUERY)["status"] == aerospike.JOB_STATUS_COMPLETED,
               timeout=30)
    done = client.job_info(job_id, aerospike.JOB_QUERY)
    assert done["progress_pct"] == 100 and done["records_read"] == N
    shown = _show(client, job_id)
    assert shown["status"] == "done(ok)" and shown["job-progress"] == "100.00"
    assert shown["recs-succeeded"] == str(N) and shown["active-threads"] == "0"
    assert all(client.get(key)[2] == {"v": 1, "w": 7} for key in keys)
