"""Quotes and findings on short texts written for these tests (no corpus text).

Each text exercises one piece of the grammar the extractors rely on: quote
marks and paragraph continuation, attribution before and after the quote,
pronouns, reporting clauses of inspectors and their report, report-summary
continuation, lists of areas for improvement, and what is not a finding.
"""
from __future__ import annotations

import json

import pytest

from kg.errors import DataFileError
from kg.extract import extract
from kg.extract.findings import polarity
from kg.extract.quotes import load_lexicon, quote_spans, split_sentences
from kg.model import Document
from kg.nlp.pipeline import make_docs


@pytest.fixture(scope="module")
def run(nlp):
    def _run(text: str, published: str = "2023-05-02"):
        document = Document(source_id="t.txt", text=text, published=published)
        doc = next(iter(nlp.pipe(make_docs(nlp, [document]))))
        facts = extract(doc, document)
        for item in facts.quotes + facts.findings:
            ev = item.evidence
            assert ev.text == text[ev.start:ev.end]
        return facts
    return _run


def _speakers(facts) -> dict:
    return {q.text: q.speaker for q in facts.quotes}


# --------------------------------------------------------------------------- quote marks


def test_quote_spans_curly_straight_and_single():
    text = ("She said “the service is improving quickly now” and he said \"staff are stretched thin today\".\n"
            "Officers called it a 'turnaround' of the children’s department.")
    spans = quote_spans(text)
    inner = [text[s.start:s.end] for s in spans]
    assert inner == ["the service is improving quickly now", "staff are stretched thin today", "turnaround"]
    # apostrophes (children’s) open nothing
    assert all(s.close is not None for s in spans)


def test_plural_possessive_does_not_close_a_single_quote():
    text = "Inspectors said caseloads were ‘affecting the managers’ ability to supervise social work properly’."
    spans = quote_spans(text)
    assert [text[s.start:s.end] for s in spans] == [
        "affecting the managers’ ability to supervise social work properly"]


def test_sentences_keep_quotes_whole_and_skip_abbreviations():
    text = "Mr. Patel said: “It is better. It is not yet good.” The board met on 3 May."
    spans = quote_spans(text)
    from kg.extract.quotes import masked

    sents = split_sentences(text, 0, len(text), masked(text, spans))
    assert [text[a:b] for a, b in sents] == [
        "Mr. Patel said: “It is better. It is not yet good.”", "The board met on 3 May."]


# --------------------------------------------------------------------------- attribution


def test_multi_paragraph_quote_is_one_row_with_the_speaker_named_before(run):
    text = ("Wexford Council leader Councillor Mary Oduya said:\n"
            "“We accept every word of the report and we are sorry for the delays families faced.\n"
            "“We have already recruited twelve permanent social workers this spring.\n"
            "“Our improvement board meets for the first time next week.”\n"
            "The council will publish its plan in June.")
    facts = run(text)
    assert len(facts.quotes) == 1
    q = facts.quotes[0]
    assert q.speaker == "Mary Oduya"
    assert q.text.startswith("We accept every word") and q.text.endswith("next week.")


def test_speaker_after_the_quote_and_pronoun_continuation(run):
    text = ("“The partnership has made a real difference to families across the county,” said Tom Aldous, "
            "the director of children’s services.\n"
            "He added: “There is still work to do on placements for older children in care.”\n"
            "“We will not rest until every child has a stable home,” he said.")
    sp = _speakers(run(text))
    assert set(sp.values()) == {"Tom Aldous"}
    assert len(sp) == 3


def test_she_is_the_last_person_who_spoke_not_the_last_person_named(run):
    text = ("Councillor Jo Hart said the council would respond within a month.\n"
            "The last review of the service was led by Tom Reeve in 2019.\n"
            "She added: “We will not give up on any of these children.”")
    assert [q.speaker for q in run(text).quotes] == ["Jo Hart"]


def test_told_according_to_interrupted_and_bodies(run):
    text = ("Priya Lal told the committee: “The front door now responds to referrals within a day.”\n"
            "“Some families wait for more than three months before anyone calls them back,” according to "
            "Dan Frost, a union official.\n"
            "“It is a fair report,” Ms Lal added, “and we will learn from every part of it.”\n"
            "In a statement, Kettleby Council said: “We have already started work on the recommendations.”")
    sp = _speakers(run(text))
    assert sp["The front door now responds to referrals within a day."] == "Priya Lal"
    assert sp["Some families wait for more than three months before anyone calls them back"] == "Dan Frost"
    # a quote interrupted by its attribution is one quotation; its evidence spans both parts
    assert sp["It is a fair report … and we will learn from every part of it."] == "Priya Lal"
    assert sp["We have already started work on the recommendations."] == "Kettleby Council"


def test_fragments_of_one_reporting_clause_are_one_quotation(run):
    text = ("Inspectors said “there has been a marked rise in the quality of plans for children” and that "
            "managers “now check every case file at least once a month”.")
    facts = run(text)
    assert len(facts.quotes) == 1 and facts.quotes[0].speaker == "Ofsted"
    assert " … " in facts.quotes[0].text
    assert facts.quotes[0].evidence.text.startswith("there has been") and \
        facts.quotes[0].evidence.text.endswith("once a month")


def test_inspectors_they_and_the_report_are_ofsted(run):
    text = ("Inspectors visited the borough in March.\n"
            "“Leaders do not know enough about the quality of frontline practice,” they said.\n"
            "The report also said: “Too many children wait too long for a permanent home.”\n"
            "“Managers rarely challenge drift in plans for children,” the letter concludes.")
    sp = _speakers(run(text))
    assert len(sp) == 3 and set(sp.values()) == {"Ofsted"}


def test_a_quote_paragraph_without_attribution_continues_the_last_speaker(run):
    text = ("“Social workers know their children well and visit them often,” inspectors wrote.\n"
            "“Plans for children are clear and are reviewed regularly by managers.”")
    sp = _speakers(run(text))
    assert sp == {"Social workers know their children well and visit them often":
                  "Ofsted", "Plans for children are clear and are reviewed regularly by managers.": "Ofsted"}


def test_scare_quotes_and_unattributed_quotes_are_not_quotes(run):
    text = ("The service was rated 'good' after a 'remarkable' year.\n"
            "One parent told inspectors: “Nobody ever rang me back about my son.”\n"
            "“Getting better every single month for the families we serve”\n")
    facts = run(text)
    assert facts.quotes == []


def test_short_quotations_a_reporting_clause_gives_are_quotes(run):
    # three words or more are a quotation when someone is reported saying them
    text = ("Inspectors found that help for families was “timely and well judged” in most cases.\n"
            "Workloads across the service have fallen ‘well below the regional average’, the report added.\n")
    sp = _speakers(run(text))
    assert sp == {"timely and well judged": "Ofsted", "well below the regional average": "Ofsted"}


def test_labels_names_and_headlines_in_quote_marks_are_not_quotations(run):
    text = ("Council’s ‘rapid recovery plan’ wins praise from inspectors\n"
            "Inspectors praised the ‘front door first’ team and rated “help and protection” as "
            "“requires improvement to be good” in the report.\n")
    assert run(text).quotes == []


def test_a_sentence_closing_on_its_attribution_and_a_body_after_a_preposition(run):
    text = ("Staff turnover at the council has caused ‘confusion, delay and drift’ at every level of the service, "
            "leaving families without help for months, Ofsted has warned after its latest visit.\n"
            "Inspectors found services in Westshire Council had slipped and warned of “a culture of tolerated "
            "delay”.\n")
    sp = _speakers(run(text))
    assert sp == {"confusion, delay and drift": "Ofsted", "a culture of tolerated delay": "Ofsted"}


def test_a_quoted_phrase_in_the_paragraph_after_the_report_speaks_is_the_reports(run):
    text = ("The report said leaders had turned the service round within two years.\n"
            "Disabled children are supported by staff who have “a detailed grasp of their needs”.\n")
    assert _speakers(run(text)) == {"a detailed grasp of their needs": "Ofsted"}


def test_first_person_words_come_from_the_one_pronoun_list():
    from kg.extract.quotes import first_person_regex

    rx = first_person_regex()
    assert rx.search("We’ve made progress") and rx.search("as I said") and rx.search("our staff")
    assert not rx.search("Inspectors saw improvement") and not rx.search("the usual team")


def test_a_parent_quoted_to_inspectors_is_not_ofsted(run):
    text = "A foster carer told inspectors: “The support we receive has improved beyond recognition this year.”"
    assert all(q.speaker != "Ofsted" for q in run(text).quotes)


# --------------------------------------------------------------------------- findings


def _findings(facts) -> dict:
    return {f.text: f.polarity for f in facts.findings}


def test_reporting_clauses_of_inspectors_and_their_report(run):
    text = ("Inspectors found that too many children had waited too long for help.\n"
            "The report said managers have a clear understanding of the service's strengths.\n"
            "Ofsted highlighted the strong relationships between social workers and children.\n"
            "Caseloads have fallen across the assessment teams, inspectors said.")
    f = run(text).findings
    pol = [x.polarity for x in f]
    assert pol == ["weakness", "strength", "strength", "strength"]
    assert f[0].text.startswith("Inspectors found")


def test_passive_and_participle_cues(run):
    text = ("The Ofsted report was published on Tuesday.\n"
            "The fostering service was praised by inspectors for its stable placements.\n"
            "The council has been criticised for failing to act on repeated warnings about missing children.")
    pol = [x.polarity for x in run(text).findings]
    assert pol == ["strength", "weakness"]


def test_polarity_reads_contrast_negation_and_concession():
    assert polarity("practice is not consistently good across the teams") == "weakness"
    assert polarity("despite some delays, no children were left without help") == "strength"
    assert polarity("leaders know the service well, but the pace of change remains too slow") == "weakness"
    assert polarity("there were no priority actions for the authority") == "strength"
    assert polarity("there has been a reduction in staff turnover") == "strength"
    assert polarity("the meeting was held in the town hall") is None


def test_a_named_inspectors_words_are_findings_a_chief_inspectors_national_remarks_are_not(run):
    text = ("Lead inspector Paul Vine said: “Leaders have not acted quickly enough to reduce caseloads in the "
            "assessment teams.”\n"
            "Ofsted's chief inspector, Amanda Spielman, said: “Too many councils are struggling to recruit "
            "experienced social workers.”")
    facts = run(text)
    assert [f.polarity for f in facts.findings] == ["weakness"]
    assert "caseloads" in facts.findings[0].text
    assert {q.speaker for q in facts.quotes} == {"Paul Vine", "Amanda Spielman"}


def test_list_of_areas_for_improvement_gives_one_weakness_per_item(run):
    text = ("Inspectors praised the early help offer.\n"
            "Areas identified in the report for improvement include: the timeliness of health assessments; "
            "the quality of pathway plans; and supervision of newly qualified staff.")
    f = _findings(run(text))
    assert f["the timeliness of health assessments"] == "weakness"
    assert f["the quality of pathway plans"] == "weakness"
    assert f["supervision of newly qualified staff"] == "weakness"


def test_bulleted_areas_for_development_stop_at_the_next_numbered_paragraph(run):
    text = ("2.3 The report identifies the following areas for development:\n"
            "- the quality and timeliness of return home interviews for children who go missing\n"
            "- the consistency of supervision for practitioners in the disabled children's team\n"
            "2.4 Officers have prepared an action plan, which will be monitored by the Improvement Board.")
    f = _findings(run(text))
    assert f == {"the quality and timeliness of return home interviews for children who go missing": "weakness",
                 "the consistency of supervision for practitioners in the disabled children's team": "weakness"}


def test_report_summary_continues_but_the_councils_plans_do_not(run):
    text = ("Inspectors found that help for care leavers had improved since the last visit.\n"
            "Personal advisers keep in touch with almost all young people and know them well.\n"
            "The council will open two new children's homes next year as part of its improvement plan.")
    f = _findings(run(text))
    assert f.get("Personal advisers keep in touch with almost all young people and know them well.") == "strength"
    assert not any("children's homes" in t for t in f)


def test_councillors_words_and_grades_are_not_findings(run):
    text = ("Barfield Council's children's services were rated 'requires improvement to be good' by Ofsted.\n"
            "Councillor Jo Hart said: “Ofsted recognised that we have strong leadership and our staff are excellent.”\n"
            "Some 34% of social workers are agency staff.")
    facts = run(text)
    assert facts.findings == []
    assert [q.speaker for q in facts.quotes] == ["Jo Hart"]


def test_noise_attaches_to_nothing(run):
    text = ("We use cookies to improve your experience. Accept all cookies.\n"
            "Home | News | Contact us\n"
            "Sign up to our newsletter for the best local stories, delivered every morning.")
    facts = run(text)
    assert facts.findings == [] and facts.quotes == []


# --------------------------------------------------------------------------- data files


def test_lexicon_files_are_validated(tmp_path):
    bad = tmp_path / "lex.json"
    bad.write_text(json.dumps({"speech_verbs": ["said", "(unclosed"], "finding_verbs": []}), encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        load_lexicon(bad, ("speech_verbs", "finding_verbs"))
    assert "(unclosed" in str(err.value) and "finding_verbs" in str(err.value)


def test_inspectors_who_visited_and_found_report_a_finding(run):
    facts = run("Inspectors visited Wigan Council from 6 to 17 March and found that most children in care "
                "live in stable homes.", published="2023-04-20")
    assert [(f.polarity, f.text.split()[0]) for f in facts.findings] == [("strength", "Inspectors")]


def test_a_neutral_list_of_the_letters_points_takes_each_items_polarity(run):
    facts = run("Ms Loxley drew Members' attention to the main points of the letter:\n\n"
                "• Inspectors found that personal advisers know their young people well.\n"
                "• Too many care leavers aged 19 to 21 are not in education, employment or training.\n\n"
                "Councillor Carrick asked about Solihull Council's budget.", published="2024-12-10")
    assert [(f.polarity, f.text[:16]) for f in facts.findings] == [
        ("strength", "Inspectors found"), ("weakness", "Too many care le")]


def test_interview_answers_are_quotes_of_the_person_interviewed(run):
    text = ("We spoke to Dr Helen Marsh, Surrey County Council's director of children's services.\n\n"
            "Q: What made the difference?\nA: Honestly, it was stability. We stopped restructuring every "
            "eighteen months.\n\nQ: Is the criticism fair?\nA: It is fair. We know some families waited too "
            "long for help.\n\nRelated: Surrey opens two new children's homes in the county")
    facts = run(text, published="2025-06-02")
    assert [(q.speaker, q.text[:16]) for q in facts.quotes] == [
        ("Helen Marsh", "Honestly, it was"), ("Helen Marsh", "It is fair. We k")]
    for q in facts.quotes:
        assert q.evidence.text == text[q.evidence.start:q.evidence.end]


def test_a_few_words_a_named_person_said_are_a_quote_but_not_a_scare_quote(run):
    facts = run("Cllr Alan Whitaker, Lancashire County Council's cabinet member for children, said the result "
                "was \"a huge credit\" to staff. Inspectors saw \"green shoots\" in the service.",
                published="2018-08-17")
    assert [(q.speaker, q.text) for q in facts.quotes] == [("Alan Whitaker", "a huge credit")]


@pytest.mark.parametrize("text, expected", [
    ("children at risk of exploitation are identified early and partners work closely together", "strength"),
    ("the council had reduced its reliance on agency social workers", "strength"),
    ("care leavers spoke warmly of their personal advisers", "strength"),
    ("most care leavers had an up-to-date pathway plan", "strength"),
    ("the attainment of children in care remains below that of similar areas", "weakness"),
    ("children at risk of harm were not always seen quickly", "weakness"),
    ("inspectors had found no children at immediate risk of harm", "strength"),
    ("some young people wait too long for suitable accommodation", "weakness"),
    ("relationships with their advisers were described as warm and enduring", "strength"),
])
def test_polarity_of_domain_phrases(text, expected):
    from kg.extract.findings import polarity

    assert polarity(text) == expected


def test_headlines_and_lists_of_grades_are_not_findings(run):
    facts = run("Swindon children's services downgraded to inadequate, Ofsted finds\n\n"
                "They judged the impact of leaders on social work practice and the experiences and progress of "
                "children in care all to be inadequate at Swindon Borough Council.\n\n"
                "Inspectors found that some children were left in harmful situations for too long.",
                published="2023-09-11")
    assert [(f.polarity, f.text[:16]) for f in facts.findings] == [("weakness", "Inspectors found")]


def test_a_speaker_named_by_title_alone_is_the_one_holder_of_that_role(run):
    text = ("Councillor Jan Polglase, Cabinet Member for Children and Young People at Plymouth City Council, "
            "introduced the report.\n\nCouncillor Hext asked about pressures. The Cabinet Member replied:\n"
            "\"Nobody in this room accepts that Plymouth's children are being failed by anyone.\"\n\n"
            "The Director of Public Health said: \"We will publish our own review of the service next spring.\"")
    facts = run(text, published="2020-01-10")
    assert [(q.speaker, q.text[:7]) for q in facts.quotes] == [("Jan Polglase", "Nobody ")]


# --------------------------------------------------------------------------- clauses, lists, attributions


def test_a_sentence_that_turns_from_praise_to_criticism_gives_one_finding_per_clause(run):
    f = run("Inspectors found that social workers know the children on their caseloads well, however plans "
            "for children in care drift for too long.").findings
    assert [(x.polarity, x.text) for x in f] == [
        ("strength", "Inspectors found that social workers know the children on their caseloads well"),
        ("weakness", "plans for children in care drift for too long.")]
    assert f[1].area == "children_in_care"
    # a second clause that shares the first one's subject is one statement, and so is a short one
    f = run("Inspectors found that the service is strong, but plans are poor.").findings
    assert [x.polarity for x in f] == ["weakness"]
    f = run("Ofsted said the fostering service is improving but remains inconsistent in its planning.").findings
    assert [x.polarity for x in f] == ["weakness"]


def test_lists_of_concerns_or_strengths_announced_with_including(run):
    text = ("The inspectors' report was published on Monday. The concerns raised were:\n"
            "• too many children wait too long for an assessment\n"
            "• supervision of social workers is infrequent\n"
            "Inspectors highlighted several strengths in their final report, including:\n"
            "• Social workers know their children well.\n"
            "• Care leavers are well supported by personal advisers.")
    found = _findings(run(text))
    assert found == {
        "too many children wait too long for an assessment": "weakness",
        "supervision of social workers is infrequent": "weakness",
        "Social workers know their children well.": "strength",
        "Care leavers are well supported by personal advisers.": "strength"}


def test_a_single_inspector_and_a_misspelt_ofsted_report_findings(run):
    assert _findings(run("The inspector said that the quality of assessments had improved considerably.")) == {
        "The inspector said that the quality of assessments had improved considerably.": "strength"}
    facts = run('Ofstead said: "Leaders have not acted quickly enough to reduce caseloads in the teams."')
    assert [f.polarity for f in facts.findings] == ["weakness"]
    assert _speakers(facts) == {"Leaders have not acted quickly enough to reduce caseloads in the teams.": "Ofsted"}


def test_a_quotation_with_only_its_closing_mark(run):
    text = ("Responding to the report, the council's chief executive, Jane Example, said:\n\n"
            "This is a hard report to read. We accept every one of its findings and will act on them.”\n\n"
            "Ofsted said: Leaders have not acted quickly enough to reduce caseloads.” The council disagreed.")
    assert _speakers(run(text)) == {
        "This is a hard report to read. We accept every one of its findings and will act on them.": "Jane Example",
        "Leaders have not acted quickly enough to reduce caseloads.": "Ofsted"}
    # a stray closing mark in running text opens nothing
    assert quote_spans("The plan was agreed.” Members then moved to the next item.") == []


def test_quotes_and_findings_read_one_extraction_context(nlp):
    from kg.extract.context import ExtractionContext
    from kg.extract.findings import extract_findings
    from kg.extract.quotes import extract_quotes
    from kg.model import Evidence, Quote

    text = 'Inspectors said: "Too many children wait too long for an assessment of their needs."'
    document = Document(source_id="t.txt", text=text, published="2023-05-02")
    doc = next(iter(nlp.pipe(make_docs(nlp, [document]))))
    ctx = ExtractionContext.build(doc, document)
    ctx.facts.quotes = extract_quotes(ctx)
    assert [q.speaker for q in ctx.quotes] == ["Ofsted"]
    assert ctx.memo("quotes.attribution", lambda: None).lay is ctx.layout  # one layout, not one per extractor
    # a hand-built context: findings read the quotes the context holds, whoever found them
    text = 'The report was published on Monday.\n\n"Too many children wait too long for an assessment of their needs."'
    document = Document(source_id="t.txt", text=text, published="2023-05-02")
    doc = next(iter(nlp.pipe(make_docs(nlp, [document]))))
    start = text.index("Too")
    words = text[start:-1]
    for speaker, expected in (("Ofsted", [("weakness", words)]), ("Jane Example", [])):
        ctx2 = ExtractionContext(document=document, doc=doc)
        ctx2.facts.quotes = [Quote(speaker, words, Evidence("t.txt", start, start + len(words), words))]
        assert [(f.polarity, f.text) for f in extract_findings(ctx2)] == expected
        assert ctx2.memo("findings.scene", lambda: None).lay is ctx2.layout


# --------------------------------------------------------------------------- reporting verbs and frames


def test_every_tense_of_a_listed_verb_reports_a_finding(run):
    text = ("Inspectors judge that help for families is timely and effective.\n"
            "Ofsted commented that supervision of newly qualified staff was patchy.\n"
            "The letter records that too many reviews were held late.\n"
            "Managers in the fostering team were credited for their strong oversight of placements, the report said.")
    assert list(_findings(run(text)).values()) == ["strength", "weakness", "weakness", "strength"]


def test_an_attribution_inside_the_sentence_and_a_clause_turning_after_it(run):
    text = ("Caseloads in the duty team averaged thirty children, inspectors noted, far above the council's target.\n"
            "Most children had a clear and current plan, the letter said, although some plans were poorly written.\n")
    f = _findings(run(text))
    assert f == {"Caseloads in the duty team averaged thirty children, inspectors noted, far above the council's target.":
                 "weakness",
                 "Most children had a clear and current plan": "strength",
                 "although some plans were poorly written.": "weakness"}


def test_a_list_led_in_by_what_inspectors_stated(run):
    text = ("In its letter to the council, Ofsted stated that:\n\n"
            "- most families receive help quickly and from the right service;\n"
            "- too many pathway plans are out of date and poorly recorded.\n")
    assert _findings(run(text)) == {"most families receive help quickly and from the right service": "strength",
                                    "too many pathway plans are out of date and poorly recorded.": "weakness"}


def test_not_findings_nouns_participles_hypotheticals_and_grades(run):
    text = ("The inspection of the borough ended in March.\n"
            "Members agreed it was a thorough report recognising strong practice across the service.\n"
            "I would describe Ofsted's remarks as a fair criticism of our slow progress.\n"
            "The report would be considered by the scrutiny committee, which praised officers.\n"
            "Services at the council are no longer inadequate, Ofsted has said, two years after the last visit.")
    assert run(text).findings == []


def test_the_verb_file_writes_out_each_family_and_checks_every_line(tmp_path):
    from kg.nlp.reporting import forms, past_tense, present_participle, reporting_verbs, sign_of, third_person

    assert (third_person("identify"), past_tense("note"), present_participle("praise")) == \
        ("identifies", "noted", "praising")
    assert {"praises", "praising", "praised", "criticises"} <= set(forms("finding"))
    assert "points\\s+out" in forms("speech") and "singled\\s+out" in forms("passive")
    assert (sign_of("gave high praise"), sign_of("raised  concerns"), sign_of("found")) == (1, -1, 0)
    bad = tmp_path / "verbs.jsonl"
    bad.write_text('{"verb": "say", "quote": "speech"}\n{"verb": "Say", "quote": "speech"}\n'
                   '{"verb": "note", "quote": "talk", "colour": 1}\n{"verb": "say", "quote": "speech"}\n'
                   '{"verb": "urge", "tail": "(", "finding": true}\n{"verb": "hint"}\n')
    with pytest.raises(DataFileError) as err:
        reporting_verbs(bad)
    message = str(err.value)
    for expected in ("line 2", "line 3: unknown key(s) colour", "'quote' must be", "line 4: 'say' is listed twice",
                     "line 5: bad 'tail'", "line 6: 'hint' is used for nothing"):
        assert expected in message


def test_a_participle_and_an_agentless_passive_take_the_reports_voice(run):
    text = ("Ofsted published its report on the borough on Tuesday.\n"
            "The report also praised the council's fostering panel, noting that members "
            "\"know each child by name and history\".\n"
            "Social workers are described as \"patient, persistent and kind to every family\".\n"
            "They did identify areas for further work, saying that the quality of plans was \"too variable in places\".\n")
    assert set(_speakers(run(text)).values()) == {"Ofsted"} and len(run(text).quotes) == 3


def test_a_second_verb_that_evaluates_the_other_way_is_its_own_finding(run):
    text = "Inspectors praised the fostering team but criticised delays in adoption.\n"
    assert _findings(run(text)) == {"Inspectors praised the fostering team": "strength",
                                    "criticised delays in adoption.": "weakness"}
    # a verb that only reports ("concluded") does not split the sentence
    text = "Ofsted recognised the scale of the challenges and concluded leaders had responded well.\n"
    assert len(run(text).findings) == 1


# --------------------------------------------------------------------------- he, she and blocks


def test_she_is_the_woman_named_last_as_a_subject_not_the_last_speaker(run):
    facts = run("Hollingbury Council was rated good. Cllr Owen Tate, the leader, said: \"This is a proud day for "
                "the borough.\" The council's director of children's services, Mrs Dana Kerr, thanked staff. "
                "She said: \"Our social workers have earned every word of this report.\"")
    assert _speakers(facts)["Our social workers have earned every word of this report."] == "Dana Kerr"
    assert _speakers(facts)["This is a proud day for the borough."] == "Owen Tate"


def test_he_skips_a_woman_named_since(run):
    facts = run("Hollingbury Council was rated good. Mr Owen Tate, the leader, praised staff. Ofsted named "
                "Mrs Dana Kerr's team as a strength. \"The team has worked for this for years,\" he said.")
    assert _speakers(facts)["The team has worked for this for years"] == "Owen Tate"


def test_a_pronoun_tells_the_gender_of_the_one_person_in_its_sentence(run):
    facts = run("Hollingbury Council was rated good. \"This is the result we hoped for,\" said Owen Tate, the "
                "council leader. Dana Kerr, the cabinet member for children, welcomed the praise for her team. "
                "\"I am so proud of every social worker,\" she added.")
    assert _speakers(facts)["I am so proud of every social worker"] == "Dana Kerr"


def test_a_block_quote_after_a_reporting_line_is_the_speakers(run):
    facts = run("Hollingbury Council was rated good. Dana Kerr, the director of children's services, said: "
                "\"We are proud of our staff.\"\nInspectors praised the front door.\nMs Kerr added:\n"
                "Our teams work very hard every day and this grade is their success.\n"
                "We will keep listening to children and families.\nThe council meets next week.")
    got = {q.text: q.speaker for q in facts.quotes}
    block = [t for t in got if t.startswith("Our teams work very hard")]
    assert block and got[block[0]] == "Dana Kerr"
    assert "We will keep listening" in block[0] and "meets next week" not in block[0]


def test_a_report_line_with_a_colon_makes_no_block_quote(run):
    facts = run("Hollingbury Council was rated good.\nThe report said:\nLeaders know their services well and "
                "act quickly when practice falls short.")
    assert not [q for q in facts.quotes if q.text.startswith("Leaders know")]


def test_the_leader_of_an_inspection_team_is_not_its_voice(run):
    facts = run("Hollingbury Council was rated good. The inspection team, led by Clara Voss, said: \"Children are "
                "at the heart of everything the council does.\"")
    assert _speakers(facts)["Children are at the heart of everything the council does."] == "Ofsted"


def test_one_plain_sentence_does_not_end_a_report_summary(run):
    text = ("Inspectors found that help for care leavers had improved a great deal since the last visit. "
            "Each young person has a personal adviser from the age of sixteen. "
            "Pathway plans are thorough and reviewed regularly with the young person.\n"
            "The council meets on Tuesday. The ward has a new library.")
    f = _findings(run(text))
    assert f.get("Pathway plans are thorough and reviewed regularly with the young person.") == "strength"
    assert not any("library" in t or "Tuesday" in t for t in f)


@pytest.mark.parametrize("clause,expected", [
    ("children get the help they need from experienced and caring social workers", "strength"),
    ("children do not get the help they need", "weakness"),
    ("the support for care leavers was found to be extensive", "strength"),
])
def test_more_plain_words_of_praise(clause, expected):
    assert polarity(clause) == expected


@pytest.mark.parametrize("sentence", [
    "The inspection also identified a number of weaknesses.",
    "Inspectors identified areas where the authority could do better.",
    "The letter recorded strengths as well.",
])
def test_naming_strengths_or_weaknesses_without_saying_what_is_no_finding(run, sentence):
    text = f"Ofsted visited Hollingbury Council in March and rated it good. {sentence}"
    assert sentence not in _findings(run(text))


def test_a_vacuous_lead_in_still_opens_the_report_summary(run):
    text = ("Ofsted visited Hollingbury Council in March. The inspectors recognised some positive practice. "
            "Foster carers are well trained and children stay with them for years.")
    f = _findings(run(text))
    assert "The inspectors recognised some positive practice." not in f
    assert f.get("Foster carers are well trained and children stay with them for years.") == "strength"


def test_a_question_about_what_inspectors_found_is_no_finding(run):
    text = ("Ofsted visited Hollingbury Council in March. Councillor Reyes asked whether Ofsted had found "
            "weaknesses in the planning for care leavers.")
    assert not _findings(run(text))


def test_a_name_inside_the_speakers_title_does_not_speak(run):
    text = ("Councillor Rita Okonjo, Cabinet Member for Children and Young People, said: \"This is a fine result "
            "for our social workers and for the families they support.\"\n"
            "\"I want to thank our staff and our partners for their hard work,\" said Tom Bramall, the council's "
            "Strategic Director for Children and Younger Adults.")
    speakers = _speakers(run(text))
    assert speakers["This is a fine result for our social workers and for the families they support."] == "Rita Okonjo"
    assert speakers["I want to thank our staff and our partners for their hard work"] == "Tom Bramall"


def test_she_is_the_head_of_the_phrase_not_the_charity_in_her_title(run):
    text = ("Campaigners welcomed the report. Rosa Lindqvist, director of the fostering charity Open Doors, said the "
            "council had listened. \"Children are now heard at every review,\" she said.")
    assert _speakers(run(text))["Children are now heard at every review"] == "Rosa Lindqvist"


def test_she_who_found_is_the_inspector_named_before(run):
    text = ("The lead inspector, Jane Hollis, visited Hollingbury Council in March. She also found that some "
            "children had waited too long for an assessment.")
    f = _findings(run(text))
    assert f.get("She also found that some children had waited too long for an assessment.") == "weakness"


def test_she_who_found_is_not_a_councillor(run):
    text = ("Ofsted rated Hollingbury Council good. Councillor Amy Lowe welcomed the report. She found that staff "
            "morale was excellent.")
    assert not _findings(run(text))


def test_a_finding_reported_in_the_letter(run):
    text = ("Hollingbury Council was inspected by Ofsted in March. Serious delays in assessing children's needs "
            "are reported in the letter published on Tuesday.")
    f = _findings(run(text))
    assert f.get("Serious delays in assessing children's needs are reported in the letter published on Tuesday.") \
        == "weakness"


def test_an_active_verb_with_its_object_before_in_a_report_is_no_agent(run):
    text = ("The council set out its plans in a report to cabinet. Stronger oversight of fostering was "
            "reported by the director.")
    assert not _findings(run(text))


def test_a_report_summary_does_not_run_on_into_a_sentence_that_evaluates_nothing(run):
    text = ("Two inspectors visited Hollingbury Council's leaving care service in October.\n\n"
            "Their findings were set out in a letter published yesterday. Focused visits do not result in a "
            "graded judgement.")
    assert not any("graded judgement" in t for t in _findings(run(text)))


def test_a_short_first_clause_of_a_mixed_sentence_is_its_own_finding(run):
    text = ("Inspectors found that senior leaders understand the service well, however plans for care leavers "
            "are drifting and many lack a personal adviser.")
    f = _findings(run(text))
    assert f.get("Inspectors found that senior leaders understand the service well") == "strength"
    assert f.get("plans for care leavers are drifting and many lack a personal adviser.") == "weakness"


@pytest.mark.parametrize("clause,expected", [
    ("a significant reduction in caseloads and positive staff morale", "strength"),
    ("a reduction in delays and drift for adoption", "strength"),
    ("a fall in good placements", "weakness"),
])
def test_a_reduction_turns_round_only_what_it_is_of(clause, expected):
    assert polarity(clause) == expected


@pytest.mark.parametrize("inner", [
    "We accept that inspectors found ‘too many children wait too long for an assessment’ and we are acting on it.",
    "We accept the report's view that 'too many children wait too long for an assessment' and we are acting on it.",
])
def test_ofsted_quoted_inside_an_officers_quotation(run, inner):
    text = f"Ofsted inspected Hollingbury Council in March. Jo Marsh, the director of children's services, said: “{inner}”"
    facts = run(text)
    speakers = _speakers(facts)
    assert speakers["too many children wait too long for an assessment"] == "Ofsted"
    assert any(q.speaker == "Jo Marsh" and q.text.startswith("We accept") for q in facts.quotes)
    assert _findings(facts).get("too many children wait too long for an assessment") == "weakness"


def test_words_told_to_inspectors_inside_a_quotation_are_not_theirs(run):
    text = ("Ofsted inspected Hollingbury Council in March. Jo Marsh, the director, said: “I told the inspectors "
            "that ‘our staff are the best in the country’ and I meant it.”")
    assert "Ofsted" not in _speakers(run(text)).values()


def test_a_service_graded_requires_improvement_is_a_judgement_not_a_finding(run):
    text = ("Ofsted inspected Hollingbury in March. Inspectors concluded that the Hollingbury Safeguarding "
            "Children Board requires improvement.\nThe last inspection was in 2018, when services were found "
            "to Require Improvement.")
    assert not _findings(run(text))


def test_a_few_words_left_open_where_the_text_stops_are_no_quotation(run):
    text = ("Ofsted rated Hollingbury Council good in March. Inspectors praised the fostering service.\n"
            "The report adds: “The voice of")
    assert not run(text).quotes


@pytest.mark.parametrize("clause,expected", [
    ("some children had waited more than two years for a placement", "weakness"),
    ("social workers are knowledgeable about the children they support", "strength"),
    ("it was too early for the new managers to have changed the culture of the teams", "weakness"),
    ("the recent changes have not had enough time to make a difference to children", "weakness"),
])
def test_waiting_months_and_knowing_children(clause, expected):
    assert polarity(clause) == expected


def test_whom_a_letter_was_written_to_does_not_speak(run):
    text = ("Ofsted rated Hollingbury Council inadequate in May. A letter to Sam Cole, the council leader, from the "
            "lead inspector, Mary Finch, said: \"Too many children wait for help and plans are weak.\"")
    assert _speakers(run(text))["Too many children wait for help and plans are weak."] == "Mary Finch"


def test_it_was_noted_in_minutes_is_the_meetings_record_unless_it_names_the_inspectors(run):
    minutes = ("Minutes of the Children's Scrutiny Committee, 12 May 2023.\nThe Director reported on the recent "
               "Ofsted inspection. It was noted that the service had made strong progress with recruitment.")
    assert not _findings(run(minutes))
    named = ("The committee discussed the inspection. It was noted that inspectors had found strong leadership "
             "across the service.")
    assert _findings(run(named)) == {"inspectors had found strong leadership across the service.": "strength"}
    news = ("Ofsted published its report on Hollingbury on Tuesday. Inspectors found that too many children waited "
            "too long for an assessment. It was also stated that plans for children in care were weak.")
    assert _findings(run(news)).get("It was also stated that plans for children in care were weak.") == "weakness"


@pytest.mark.parametrize("report", ["The committee report noted", "The officer report stated",
                                    "The annual report of the Independent Reviewing Officer found"])
def test_officers_reports_are_not_the_inspectors(run, report):
    text = f"Ofsted inspected Hollingbury in March. {report} that caseloads were too high in the assessment teams."
    assert not _findings(run(text))


def test_he_added_goes_back_to_the_last_speaker(run):
    text = ("Ofsted rated Hollingbury Council good. \"This is a great day for the borough,\" said council leader Tom "
            "Ryan. The director, Anne Hale, has led the service since 2019. \"We have more to do but we are on the "
            "right track,\" he added.")
    assert _speakers(run(text))["We have more to do but we are on the right track"] == "Tom Ryan"


@pytest.mark.parametrize("sentence", [
    "Its fostering service was also found to require improvement.",
    "An Ofsted report has found child protection at Hollingbury Council to be \"inadequate\".",
])
def test_a_sentence_closing_on_the_grade_found_is_a_judgement(run, sentence):
    assert not _findings(run(f"Ofsted inspected Hollingbury Council in March. {sentence}"))


def test_only_a_closing_mark_after_a_reporting_that(run):
    text = ("Ofsted published the report on 4 May. Summing up, the lead inspector wrote that leaders understand "
            "their service well and act quickly when practice falls short.” The council welcomed the report.")
    assert _speakers(run(text)).get(
        "leaders understand their service well and act quickly when practice falls short.") == "Ofsted"


@pytest.mark.parametrize("text", [
    "Ofsted rated Hollingbury Council inadequate. Council leader Nadia Moss said she was \"deeply sorry\" and "
    "the council would act.",
    "Ofsted rated Hollingbury Council good. Inspectors found practice \"too variable\" in the assessment teams.",
])
def test_two_quoted_words_are_no_quotation(run, text):
    assert not run(text).quotes


@pytest.mark.parametrize("name", ["Ofted", "Osfted", "Ofstead"])
def test_misspelt_ofsted_still_reports(run, name):
    text = f"Hollingbury Council was inspected in March. {name} found that social workers knew their children well."
    assert list(_findings(run(text)).values()) == ["strength"]


@pytest.mark.parametrize("clause,expected", [
    ("Not every child in care has a social worker who visits them regularly and knows them well.", "weakness"),
    ("families are now seen promptly when concerns are raised by schools", "strength"),
    ("two young people had been placed in unregulated bed-and-breakfast accommodation", "weakness"),
    ("the proportion of agency social workers has fallen since the last inspection", "strength"),
    ("young people are involved in shaping the services they use", "strength"),
])
def test_more_plain_words_of_the_reports(clause, expected):
    assert polarity(clause) == expected


def test_a_link_to_another_story_is_no_finding(run):
    text = ("Ofsted praised Hollingbury's fostering service in a letter published on Tuesday.\n\n"
            "Related stories\n\n- Ofsted finds \"serious failures\" in Hollingbury children's services (September 2022)\n")
    assert not any("serious failures" in t for t in _findings(run(text)))
