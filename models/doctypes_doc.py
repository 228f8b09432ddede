#!/usr/bin/python3
"""Writes docs/doctypes.md from models/doctypes.json, so the documentation says what the code reads.

    /usr/bin/python3 models/doctypes_doc.py            # rewrite docs/doctypes.md
    /usr/bin/python3 models/doctypes_doc.py --check    # exit 1 when docs/doctypes.md is stale (a test runs this)
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "doctypes.json")
DOC = os.path.join(HERE, "..", "docs", "doctypes.md")


def render(cat):
    names = {k: v["name"] for k, v in cat["fields"].items()}
    out = ["# Document types sohoa knows",
           "",
           "Generated from `models/doctypes.json` by `models/doctypes_doc.py`; edit the JSON, not this page.",
           "The classifier reads the titles and number abbreviations, the extractor reads which fields a type has",
           "and whose name it carries, the review stage asks for a person when a required field is missing or fails",
           "its validator. A field not listed for a type is never read for it.",
           "",
           "| code | class | name | titles | number abbreviations | person | must have | may have |",
           "|---|---|---|---|---|---|---|---|"]
    for t in cat["types"]:
        abbr = t.get("number_abbrevs", []) + [p + "…" for p in t.get("number_abbrev_prefixes", [])]
        f = t.get("fields", {})
        out.append("| `%s` | %s | %s | %s | %s | %s | %s | %s |" % (
            t["code"], t["class"], t["name"], "; ".join(t.get("titles", [])) or "(by layout)", ", ".join(abbr) or "",
            t.get("person", "none"), ", ".join(names[k] for k in f.get("required", [])),
            ", ".join(names[k] for k in f.get("optional", []))))
    out += ["", "## Kinds of văn bản hành chính (`van_ban_hanh_chinh`)", "",
            "Nghị định 30/2020/NĐ-CP, Phụ lục III, and the legal normative documents; record.json says which in",
            "`classification.kind`. A công văn has no title: it is known by its \"V/v\" subject under the number.", "",
            "| kind | name | abbreviation | trích yếu required | legal normative |", "|---|---|---|---|---|"]
    for t in cat["types"]:
        for k in t.get("kinds", []):
            out.append("| `%s` | %s | %s | %s | %s |" % (k["kind"], k["name"], k.get("abbrev", ""),
                                                       "yes" if k.get("trich_yeu") == "required" else "",
                                                       "yes" if k.get("legal_normative") else ""))
    out += ["", "## Fields and their validators", "", "| key | name | validator |", "|---|---|---|"]
    for k, v in cat["fields"].items():
        out.append("| `%s` | %s | %s |" % (k, v["name"], v.get("validator", "")))
    out += ["", "## Rules a type carries", "", "| code | rule |", "|---|---|"]
    for t in cat["types"]:
        if "valid_for" in t:
            out.append("| `%s` | valid: %s |" % (t["code"], t["valid_for"].get("rule", "")))
        if t.get("reissue", {}).get("supersedes_older"):
            out.append("| `%s` | re-issued: %s (the archive keeps the older one, marked superseded) |" % (t["code"], t["reissue"].get("rule", "")))
        if t.get("same_document_when"):
            out.append("| `%s` | one document: the same %s (another scan of it is archived as a duplicate) |"
                       % (t["code"], ", ".join(t["same_document_when"])))
        if t.get("persons"):
            out.append("| `%s` | persons the archive indexes: %s |" % (t["code"], "; ".join(
                "%s (%s)" % (p.get("role_name", p["role"]), ", ".join("`%s`" % p[k] for k in ("name", "id", "born") if p.get(k)))
                for p in t["persons"])))
        if t.get("issue_date_labels"):
            out.append("| `%s` | issue date, where no place-and-date line gives it: the latest date after %s (the registrations it records) |" % (
                t["code"], " / ".join("\"%s\"" % l for l in t["issue_date_labels"])))
        if "issuer_by_address" in t:
            ia = t["issuer_by_address"]
            out.append("| `%s` | issuer not printed in full (\"TM. ỦY BAN NHÂN DÂN\"): the district of the address after %s, "
                       "asked of a person: %s |" % (t["code"], " / ".join("\"%s\"" % l for l in ia.get("address_labels", [])),
                                                    ia.get("rule", "")))
    out += ["", "Desks without legal standing (the organ above them is the issuer; the desk goes to `metadata.don_vi`): " +
            ", ".join(cat.get("desk_units", {}).get("names", [])) + ".", ""]
    if "signer_positions" in cat:
        out += ["Signers' positions (a line of capitals under the authority line that starts with one, \"Phó\" before any, "
                "goes to `metadata.chuc_vu_nguoi_ky` spelt as here): " +
                ", ".join(cat["signer_positions"].get("names", [])) + ".", ""]
    if "arrival_stamp" in cat:
        a = cat["arrival_stamp"]
        out += ["Arrival stamps (a ruled frame whose line opens with %s, read after the body): the number after %s "
                "and the date after %s go to `metadata.van_ban_den`." % (
                    " / ".join("\"%s\"" % h for h in a.get("heads", [])),
                    " / ".join("\"%s\"" % h for h in a.get("number_labels", [])),
                    " / ".join("\"%s\"" % h for h in a.get("date_labels", []))), ""]
    return "\n".join(out)


def main():
    text = render(json.load(open(SRC, encoding="utf-8")))
    if "--check" in sys.argv:
        cur = open(DOC, encoding="utf-8").read() if os.path.exists(DOC) else ""
        if cur != text:
            print("docs/doctypes.md is stale: run /usr/bin/python3 models/doctypes_doc.py", file=sys.stderr)
            return 1
        return 0
    with open(DOC, "w", encoding="utf-8") as fh:
        fh.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
