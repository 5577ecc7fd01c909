"""The cue patterns of the inspection rules (``kg/data/inspection_cues.json``) and small constants."""
from __future__ import annotations

from pathlib import Path

from ...nlp.lexicon import load_cues

# the cue patterns (grading contexts, look-back words, kinds of dates), validated at load
CUES = load_cues(Path(__file__).resolve().parents[2] / "data" / "inspection_cues.json")

# a grade word counts only in a grading context ("rated good", "'inadequate'")
_GRADE_BEFORE = CUES["grade_before"]
_GRADE_AFTER = CUES["grade_after"]
_NEGATED = CUES["negated"]
# a grade aimed at, not given: "its goal of being rated 'good' by 2026", "vowed to restore a good rating"
_AIMED = CUES["aimed"]
# a range of grades is no one inspection's grade: "good or better", "'good' or 'outstanding'"
_RANGE_AFTER = CUES["range_after"]
_RANGE_BEFORE = CUES["range_before"]
_STRONG_BEFORE = CUES["strong_before"]
_QUOTED = CUES["quoted"]
_PAST = CUES["past"]
# between coordinated areas: "A, B and C", "'A' and, also, for 'B'", "A as well as for B"
_COORD = CUES["coord"]
_ANNUAL_SCALE = CUES["annual_scale"]
_GRADING = CUES["grading"]
_GRADING_VERB = CUES["grading_verb"]
_GRADE_FOR = CUES["grade_for"]
_INCLUDES = CUES["includes"]
_PARTIAL = CUES["partial"]
# after a grade, the areas it is for, unnamed: "good in all but one area", "RI for the other areas"
_PARTIAL_AFTER = CUES["partial_after"]
_MOVE = CUES["move"]
# "from requires improvement, its grade in 2020, to good": the words before the earlier grade and between the two
_MOVE_FROM = CUES["move_from"]
_MOVE_TO = CUES["move_to"]
_PAST_DATE = CUES["past_date"]
# the earliest word in a stretch that turns it to an earlier inspection
_PAST_MARK = CUES["past_mark"]
_PUBLISHED = CUES["published"]
_VISIT_VERB = CUES["visit_verb"]
_PLANNED = CUES["planned"]
_FROM_TO = CUES["from_to"]
# a date that belongs to something other than an inspection
# a date that belongs to something other than an inspection: a job move, a meeting, a review, a
# government decision or notice, the pandemic, something the council itself began
_OTHER_EVENT = CUES["other_event"]
_PAST_TENSE_GRADING = CUES["past_tense_grading"]
_CONTRAST = CUES["contrast"]
_WHEN_LAST = CUES["when_last"]
# "judged to be performing poorly", "found to be adequate": a grading verb's complement
_JUDGED_TO_BE = CUES["judged_to_be"]
# between an area and its grade: "the adoption service is", "care leavers, are", "services were"
_AREA_IS = CUES["area_is"]
_ORDER = {"outstanding": 4, "good": 3, "requires_improvement": 2, "inadequate": 1}


# nouns a grade word may qualify and still be a grade: "an inadequate rating", "inadequate councils"
_GRADE_NOUNS = CUES["grade_nouns"]


# whose grade it is: schools, homes and other providers are graded too, and national counts
# ("only four councils hold the top grade") grade no council in particular
_PROVIDER_SUBJECT = CUES["provider_subject"]
_NATIONAL_COUNT = CUES["national_count"]
# a provider's owner is no subject of its grade: "a children's home run by Salford Council"
_PROVIDER_OWNER = CUES["provider_owner"]
# the council's own view or someone else's review, not Ofsted's: "its self-assessment rates services as good"
_OWN_ASSESSMENT = CUES["own_assessment"]
# an inspection of another service (SEND, youth justice, a school, a home, an agency): no ILACS/SIF one
_OTHER_SERVICE_BEFORE = CUES["other_service_before"]
_OTHER_SERVICE_AFTER = CUES["other_service_after"]
# kind words that only grade: an inspection's mark when they grade the council, nothing when they do not
_GRADE_VERB_KIND = CUES["grade_verb_kind"]


_WHAT_NEEDS = CUES["what_needs"]


_ANAPHOR = CUES["anaphor"]


_HEADING = CUES["heading"]


_LINE_START = CUES["line_start"]


_LIST_GAP = CUES["list_gap"]


_OTHER_SUBJECT = CUES["other_subject"]


# "the adoption service is outstanding, as is leadership": the grade again, for the area after
_AS_IS = CUES["as_is"]


# a grade, then the areas it covers as a list: "inadequate: the impact of leaders ...",
# "good in three areas - child protection, ...", "good in every area, including adoption and ..."
_LIST_AFTER_GRADE = CUES["list_after_grade"]
_OF_PHRASE = CUES["of_phrase"]


_BACK_BEFORE = CUES["back_before"]
_BACK_AFTER = CUES["back_after"]


# "this year's inspection" in a text about one visit is that visit
_THIS_INSPECTION = CUES["this_inspection"]
_GENERIC_KIND = CUES["generic_kind"]
_BARE_VISIT = CUES["bare_visit"]


_ATTRIBUTED_TO_OFSTED = CUES["attributed_to_ofsted"]


_FIRST_PERSON = CUES["first_person"]


# "The council also earned this accolade for ...": the grade just given, for more areas
_SAME_GRADE = CUES["same_grade"]


_SINCE_THE = CUES["since_the"]


# after a date, the grading of that time: "in 2013 when it was rated", "since 2019, where services were given"
_WHEN_GRADED = CUES["when_graded"]


# "all of these areas", "in all areas", "every judgement": a grade for the areas listed before
_ALL_AREAS = CUES["all_areas"]
_EXCEPT = CUES["except"]


_LIST_INTRO = CUES["list_intro"]


_AGAIN = CUES["again"]


# an overall grade given by allusion to the current one
_SAME_OVERALL = CUES["same_overall"]


_WITH_CARE_LEAVERS = CUES["with_care_leavers"]


# a grade with its year, in a list of years: "2014 requires improvement; 2018 good", "good (2018)", "good in 2019"
_YEAR_BEFORE_GRADE = CUES["year_before_grade"]
_YEAR_AFTER_GRADE = CUES["year_after_grade"]
_LIST_POSITION = CUES["list_position"]
_YEAR_GRADE_GAP = CUES["year_grade_gap"]
_GRADE_YEAR_GAP = CUES["grade_year_gap"]

# words that bring a text back to the current inspection after a look back at an earlier one
_NOW = CUES["now"]
# a sentence in the present tense speaks of now too, whatever earlier inspection it names
_PRESENT = CUES["present"]
# Ofsted monitoring a council, said loosely: its bare "visits" are monitoring visits
_MONITORING = CUES["monitoring"]
# between the grade words of the scale named in full: "outstanding, good, requires improvement or inadequate"
_SCALE_GAP = CUES["scale_gap"]
# a grade kept from an earlier inspection: "held on to the outstanding rating it earned in 2020"
_KEPT = CUES["kept"]

# a council named as the one another replaced: no subject of the text's grades
_PREDECESSOR = CUES["predecessor"]
# a council named to compare ("unlike neighbouring Hackney", "as did Camden"), the relative clause that
# may grade it, and a council's grade given with a plain copula ("Camden is outstanding")
_COMPARISON = CUES["comparison"]
_RELATIVE_AFTER = CUES["relative_after"]
_COUNCIL_IS = CUES["council_is"]
# between an area and its grade in a list: "care leavers good", "leadership, good;", "... and care leavers all good"
_AREA_THEN_GRADE = CUES["area_then_grade"]
# a full inspection named after a visit as another one ("a series of monitoring visits since that inspection")
_ANOTHER_INSPECTION = CUES["another_inspection"]
# a sentence listing the areas the last grade was for: "Not in one corner, but on every line they grade: ..."
_EVERY_LINE = CUES["every_line"]
# areas listed between dashes or in brackets just before their grade: "Every other area - A, B and C - was also RI"
_ENCLOSED_LIST = CUES["enclosed_list"]
# a date after "a fall from", "up from": the earlier inspection's or rating's, not the one graded before it
_FALL_FROM = CUES["fall_from"]
# "a report of the Corporate Director": an officer's report, no inspection
_OFFICER_REPORT = CUES["officer_report"]
# "had judged the overall effectiveness of safeguarding services to be adequate": the verb, its object, "to be"
_JUDGED_OBJECT_TO_BE = CUES["judged_object_to_be"]
# "the inspection report", "the inspection letter": the inspection's, not a visit's, in a text about a visit
_INSPECTION_BEFORE = CUES["inspection_before"]
# a council in general ("a DCS whose council has just been judged inadequate"): no council's grade
_GENERIC_SUBJECT = CUES["generic_subject"]
