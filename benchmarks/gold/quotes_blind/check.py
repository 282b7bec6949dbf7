"""Consistency check for a blind quote-attribution set. Run: python3 check.py
(this folder), or python3 check.py DIR MIN_WORDS MAX_WORDS for another set in this format."""
import json, os, glob, collections, sys
HERE = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
MIN_WORDS, MAX_WORDS = (int(sys.argv[2]), int(sys.argv[3])) if len(sys.argv) > 3 else (250, 450)
KINDS = {"direct", "mixed", "indirect"}
files = sorted(os.path.basename(p) for p in glob.glob(os.path.join(HERE, "[0-9]*.txt")))
gold = [json.loads(l) for l in open(os.path.join(HERE, "gold.jsonl"), encoding="utf-8") if l.strip()]
byfile = {g["file"]: g for g in gold}
assert len(byfile) == len(gold), "duplicate gold lines"
assert set(byfile) == set(files), ("files without gold / gold without file", set(files) ^ set(byfile))
summ = [json.loads(l) for l in open(os.path.join(HERE, "summaries.jsonl"), encoding="utf-8") if l.strip()]
assert {s["file"] for s in summ} == set(files) and len(summ) == len(files), "summaries do not match files"
for s in summ:
    n = len(s["summary"].split()); assert 30 <= n <= 75, (s["file"], n)
cnt = collections.Counter(); segs = 0
for f in files:
    text = open(os.path.join(HERE, f), encoding="utf-8").read()
    head, body = text.split("\n\n", 1)
    assert "\n" not in head.strip(), f
    g = byfile[f]
    assert g["body_offset_in_file"] == len(head) + 2 and text[g["body_offset_in_file"]:] == body, f
    words = len(body.split()); assert MIN_WORDS <= words <= MAX_WORDS, (f, words)
    prev_start = -1
    for q in g["quotes"]:
        assert q["kind"] in KINDS, (f, q["kind"])
        for k in ("quote", "segments", "reference", "speaker_text", "cue"):
            assert k in q, (f, k)
        assert q["reference"].strip() and q["segments"], (f, q)
        ss = q["segments"]
        for s in ss:
            assert 0 <= s["start"] < s["end"] <= len(body), (f, s)
            assert body[s["start"]:s["end"]] == s["text"], (f, s, body[s["start"]:s["end"]])
            assert s["text"] == s["text"].strip(), (f, "segment has outer whitespace", s)
        for a, b in zip(ss, ss[1:]):
            assert a["end"] <= b["start"], (f, "segments out of order", a, b)
        qs, qe = ss[0]["start"], ss[-1]["end"]
        assert body[qs:qe] == q["quote"], (f, "quote != span of segments", q["quote"])
        assert all(qs <= s["start"] and s["end"] <= qe for s in ss)
        assert qs >= prev_start, (f, "records not in text order"); prev_start = qs
        if q["kind"] == "direct":
            assert all(c not in s["text"][:1] for s in ss for c in '"“”'), (f, "direct segment starts with a mark", ss)
        cnt[q["kind"]] += 1; segs += len(ss)
    # no two records overlap
    spans = sorted((s["start"], s["end"]) for q in g["quotes"] for s in q["segments"])
    for (a1, b1), (a2, b2) in zip(spans, spans[1:]):
        assert b1 <= a2, (f, "overlapping segments", (a1, b1), (a2, b2))
total = sum(cnt.values())
print(f"OK: {len(files)} articles, {total} quotes, {segs} segments, kinds {dict(cnt)}")
