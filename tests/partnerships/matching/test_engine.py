"""The matching engine on plain data: each signal, each exclusion, the cap, proposals awaiting review."""

from partnerships.matching.engine import (
    Cause,
    Dropped,
    Kind,
    NamedPairNote,
    Reason,
    Weights,
    pair_key,
    propose,
)

from .engine_data import AMERICAS, ASIA, BRAZIL, CHINA, ITALY, REGIONS, city, interest, practice, problem

REGIONS_OF = REGIONS

MORELIA, LUOYANG, ANYANG, VENICE, SAO_PAULO, OAXACA = 1, 2, 3, 4, 5, 6


def proposals_of(outcome):
    return [(proposal.city_a, proposal.city_b, proposal.score) for proposal in outcome.proposals]


def only_proposal(outcome):
    assert len(outcome.proposals) == 1, proposals_of(outcome)
    return outcome.proposals[0]


def test_named_city_is_proposed_and_cites_the_survey_answer():
    morelia = city(
        MORELIA,
        interest=interest(
            11, partner_cities=[LUOYANG], survey_response=500, survey_mentions={LUOYANG: (500, 600, 700)}
        ),
    )
    luoyang = city(LUOYANG, country=CHINA)

    proposal = only_proposal(propose(problem(morelia, luoyang)))

    assert (proposal.city_a, proposal.city_b, proposal.score) == (MORELIA, LUOYANG, 8.0)
    assert proposal.reasons == (
        Reason(
            kind=Kind.NAMED_CITY,
            weight=8.0,
            seeker=MORELIA,
            partner=LUOYANG,
            interest=11,
            survey_response=500,
            answer=600,
            option=700,
        ),
    )


def test_mutual_naming_weighs_more_than_one_sided():
    morelia = city(MORELIA, interest=interest(11, partner_cities=[LUOYANG]))
    luoyang = city(LUOYANG, country=CHINA, interest=interest(12, partner_cities=[MORELIA]))

    proposal = only_proposal(propose(problem(morelia, luoyang)))

    assert proposal.score == 8.0 + 8.0 + 4.0
    assert [reason.kind for reason in proposal.reasons] == [Kind.NAMED_CITY, Kind.NAMED_CITY, Kind.MUTUAL]


def test_named_country_and_region_weigh_less_than_a_named_city():
    by_country = city(MORELIA, interest=interest(11, partner_countries=[CHINA]))
    by_region = city(SAO_PAULO, country=BRAZIL, interest=interest(15, partner_regions=[ASIA]))
    luoyang = city(LUOYANG, country=CHINA)

    outcome = propose(problem(by_country, by_region, luoyang))

    assert proposals_of(outcome) == [(MORELIA, LUOYANG, 3.0), (LUOYANG, SAO_PAULO, 1.5)]
    assert [reason.kind for proposal in outcome.proposals for reason in proposal.reasons] == [
        Kind.NAMED_COUNTRY,
        Kind.NAMED_REGION,
    ]
    assert outcome.proposals[0].reasons[0].country == CHINA
    assert outcome.proposals[1].reasons[0].region == ASIA


def test_a_named_city_is_not_counted_again_through_its_country():
    morelia = city(MORELIA, interest=interest(11, partner_cities=[LUOYANG], partner_countries=[CHINA]))
    luoyang = city(LUOYANG, country=CHINA)

    proposal = only_proposal(propose(problem(morelia, luoyang)))

    assert [reason.kind for reason in proposal.reasons] == [Kind.NAMED_CITY]


def test_a_theme_sought_counts_fully_with_a_practice_half_when_only_declared_and_a_webinar_adds_little():
    seeker = city(MORELIA, interest=interest(11, themes_sought=[4]))
    declared = city(LUOYANG, country=CHINA, interest=interest(12, themes_offered=[4]))
    shown = city(ANYANG, country=CHINA, practices=[practice(31, 4)])
    presented = city(SAO_PAULO, country=BRAZIL, practices=[practice(51, 4, webinar=True)])

    outcome = propose(problem(seeker, declared, shown, presented, proposals_per_city=3))

    # fit 6 x share of Morelia's asks met (1 of 1); a declared offer counts half; webinar +0.5 once.
    assert proposals_of(outcome) == [
        (MORELIA, SAO_PAULO, 6.5),
        (MORELIA, ANYANG, 6.0),
        (MORELIA, LUOYANG, 3.0),
    ]
    assert [proposal.reasons for proposal in outcome.proposals] == [
        (
            Reason(
                Kind.THEME_SOUGHT,
                6.0,
                MORELIA,
                SAO_PAULO,
                theme=4,
                practices=(51,),
                webinar=True,
                interest=11,
            ),
        ),
        (Reason(Kind.THEME_SOUGHT, 6.0, MORELIA, ANYANG, theme=4, practices=(31,), interest=11),),
        (Reason(Kind.THEME_SOUGHT, 3.0, MORELIA, LUOYANG, theme=4, interest=11),),
    ]
    assert [sorted(proposal.themes) for proposal in outcome.proposals] == [[4], [4], [4]]


def test_a_priority_is_met_by_the_partners_best_linked_theme_and_each_practice_is_cited_once():
    morelia = city(MORELIA, interest=interest(11, priorities=[10, 20]))
    # Practice 21 has themes 2 and 6, practice 22 theme 3: priority 10 (themes 1-3) is met, 20 not.
    luoyang = city(LUOYANG, country=CHINA, practices=[practice(21, 2, 6, webinar=True), practice(22, 3)])

    proposal = only_proposal(propose(problem(morelia, luoyang)))

    assert proposal.reasons == (
        Reason(
            Kind.PRIORITY,
            3.0,  # 6 x one of two asks met
            MORELIA,
            LUOYANG,
            priority=10,
            themes=(2,),
            practices=(21,),
            webinar=True,
            interest=11,
        ),
    )
    assert proposal.score == 3.5
    assert proposal.themes == frozenset({2})


def test_one_practice_is_not_counted_again_for_every_ask_it_touches():
    # Morelia asks for theme 1 and priority 10 (themes 1-3): Luoyang's one practice on theme 1
    # meets one ask, not both; Anyang meets both with two themes.
    morelia = city(MORELIA, interest=interest(11, themes_sought=[1], priorities=[10]))
    luoyang = city(LUOYANG, country=CHINA, practices=[practice(21, 1)])
    anyang = city(ANYANG, country=CHINA, practices=[practice(31, 1), practice(32, 2)])

    outcome = propose(problem(morelia, luoyang, anyang, proposals_per_city=2))

    assert proposals_of(outcome) == [(MORELIA, ANYANG, 6.0), (MORELIA, LUOYANG, 3.0)]
    explained = outcome.proposals[0].reasons
    assert sorted(practice for reason in explained for practice in reason.practices) == [31, 32]


def test_breadth_has_diminishing_returns_and_two_way_fit_beats_a_city_that_ticked_everything():
    # Broad asks for every theme and priority and offers every theme; Precise and Partner each need
    # exactly what the other shows in a practice.
    broad = city(
        OAXACA,
        country=BRAZIL,
        practices=[practice(60 + theme, theme) for theme in range(1, 7)],
        interest=interest(16, themes_sought=range(1, 7), priorities=[10, 20]),
    )
    precise = city(MORELIA, practices=[practice(11, 5)], interest=interest(11, themes_sought=[1]))
    partner = city(
        LUOYANG, country=CHINA, practices=[practice(21, 1)], interest=interest(12, themes_sought=[5])
    )

    outcome = propose(problem(broad, precise, partner, proposals_per_city=2))

    scores = {(proposal.city_a, proposal.city_b): proposal.score for proposal in outcome.proposals}
    two_way = scores[(MORELIA, LUOYANG)]
    assert two_way == 6.0 + 6.0 + 4.0  # both fits full, and complementary
    assert all(score < two_way for pair, score in scores.items() if OAXACA in pair)
    assert Reason(Kind.COMPLEMENTARY, 4.0) in next(
        proposal.reasons for proposal in outcome.proposals if proposal.city_b == LUOYANG
    )


def test_a_weak_link_between_a_theme_and_a_priority_counts_at_its_strength():
    morelia = city(MORELIA, interest=interest(11, priorities=[20]))  # priority 20: themes 4 and 5
    luoyang = city(LUOYANG, country=CHINA, practices=[practice(21, 4)])
    anyang = city(ANYANG, country=CHINA, practices=[practice(31, 5)])
    matching = problem(morelia, luoyang, anyang, proposals_per_city=2)
    matching.link_strengths = {20: {4: 1.0, 5: 0.25}}

    outcome = propose(matching)

    assert proposals_of(outcome) == [(MORELIA, LUOYANG, 6.0), (MORELIA, ANYANG, 1.5)]


def test_signals_count_both_ways():
    morelia = city(MORELIA, practices=[practice(11, 5)], interest=interest(11, themes_sought=[1]))
    luoyang = city(
        LUOYANG, country=CHINA, practices=[practice(21, 1)], interest=interest(12, themes_sought=[5])
    )

    proposal = only_proposal(propose(problem(morelia, luoyang)))

    assert [(reason.kind, reason.seeker, reason.partner, reason.theme) for reason in proposal.reasons] == [
        (Kind.THEME_SOUGHT, MORELIA, LUOYANG, 1),
        (Kind.THEME_SOUGHT, LUOYANG, MORELIA, 5),
        (Kind.COMPLEMENTARY, None, None, None),
    ]
    assert proposal.score == 16.0


def test_shared_traits_add_to_a_linked_pair_but_never_link_one():
    morelia = city(MORELIA, heritage=True, languages=[7], interest=interest(11, partner_cities=[LUOYANG]))
    luoyang = city(LUOYANG, country=CHINA, heritage=True, languages=[7, 8])
    anyang = city(ANYANG, country=CHINA, heritage=True, languages=[7])  # shares traits, nothing else

    outcome = propose(problem(morelia, luoyang, anyang))

    assert proposals_of(outcome) == [(MORELIA, LUOYANG, 10.0)]
    assert outcome.proposals[0].reasons[1:] == (
        Reason(Kind.WORLD_HERITAGE, 1.0),
        Reason(Kind.COMMON_LANGUAGE, 1.0, languages=(7,)),
    )


def test_triangular_pairs_are_labelled_weighted_and_can_be_switched_off():
    morelia = city(MORELIA, interest=interest(11, partner_cities=[VENICE]))
    venice = city(VENICE, country=ITALY, south=False)

    allowed = propose(problem(morelia, venice, weights=Weights(triangular=-2.0)))
    refused = propose(problem(morelia, venice, allow_triangular=False))

    proposal = only_proposal(allowed)
    assert (proposal.is_triangular, proposal.score) == (True, 6.0)
    assert proposal.reasons[-1] == Reason(Kind.TRIANGULAR, -2.0, partner=VENICE)
    assert refused.proposals == []
    assert refused.notes == [NamedPairNote(MORELIA, VENICE, Cause.TRIANGULAR_NOT_ALLOWED)]


def test_pairs_outside_the_global_south_on_both_sides_are_never_proposed():
    venice = city(VENICE, country=ITALY, south=False, interest=interest(14, partner_cities=[LUOYANG]))
    luoyang = city(LUOYANG, country=5, south=False)

    outcome = propose(problem(venice, luoyang))

    assert (outcome.proposals, outcome.notes) == ([], [NamedPairNote(VENICE, LUOYANG, Cause.NORTH_NORTH)])


def test_same_country_pairs_only_when_staff_allow_them():
    morelia = city(MORELIA, interest=interest(11, partner_cities=[OAXACA]))
    oaxaca = city(OAXACA)

    default = propose(problem(morelia, oaxaca))
    allowed = propose(problem(morelia, oaxaca, allow_same_country=True))

    assert (default.proposals, default.notes) == ([], [NamedPairNote(MORELIA, OAXACA, Cause.SAME_COUNTRY)])
    assert proposals_of(allowed) == [(MORELIA, OAXACA, 8.0)]


def test_a_no_to_a_country_or_region_excludes_its_cities_but_a_city_named_by_name_wins():
    # Morelia seeks tourism (priority 10), which Luoyang, Anyang and Sao Paulo all offer, but said
    # "no" to Chinese cities, and Oaxaca said "no" to the Americas; Morelia also names Anyang itself.
    morelia = city(
        MORELIA, interest=interest(11, priorities=[10], partner_cities=[ANYANG], excluded_countries=[CHINA])
    )
    luoyang = city(LUOYANG, country=CHINA, practices=[practice(31, 1)])
    anyang = city(ANYANG, country=CHINA, practices=[practice(32, 1)])
    sao_paulo = city(SAO_PAULO, country=BRAZIL, practices=[practice(33, 1)])
    oaxaca = city(OAXACA, country=ITALY, interest=interest(16, priorities=[10], excluded_regions=[AMERICAS]))

    outcome = propose(problem(morelia, luoyang, anyang, sao_paulo, oaxaca, proposals_per_city=5))

    pairs = {(proposal.city_a, proposal.city_b) for proposal in outcome.proposals}
    assert (MORELIA, ANYANG) in pairs and (MORELIA, SAO_PAULO) in pairs
    assert (MORELIA, LUOYANG) not in pairs
    assert {pair for pair in pairs if OAXACA in pair} <= {(LUOYANG, OAXACA), (ANYANG, OAXACA)}
    assert (SAO_PAULO, OAXACA) not in pairs


def test_a_proposal_awaiting_review_loses_its_place_when_the_city_says_no_to_its_partners_country():
    morelia = city(MORELIA, interest=interest(11, priorities=[10], excluded_countries=[CHINA]))
    luoyang = city(LUOYANG, country=CHINA, practices=[practice(31, 1)])

    outcome = propose(problem(morelia, luoyang, pending_pairs={pair_key(MORELIA, LUOYANG)}))

    assert (outcome.proposals, outcome.dropped) == ([], [Dropped(MORELIA, LUOYANG, Cause.NOT_WANTED)])


def test_barred_pairs_are_not_proposed_and_the_note_says_why():
    morelia = city(MORELIA, interest=interest(11, partner_cities=[LUOYANG, ANYANG, SAO_PAULO]))
    others = [city(LUOYANG, country=CHINA), city(ANYANG, country=CHINA), city(SAO_PAULO, country=BRAZIL)]
    blocked = {
        pair_key(MORELIA, LUOYANG): Cause.PARTNERSHIP,
        pair_key(MORELIA, ANYANG): Cause.OPEN_PROPOSAL,
        pair_key(MORELIA, SAO_PAULO): Cause.COOLING_OFF,
    }

    outcome = propose(problem(morelia, *others, blocked_pairs=blocked))

    assert outcome.proposals == []
    assert outcome.notes == [
        NamedPairNote(MORELIA, LUOYANG, Cause.PARTNERSHIP),
        NamedPairNote(MORELIA, ANYANG, Cause.OPEN_PROPOSAL),
        NamedPairNote(MORELIA, SAO_PAULO, Cause.COOLING_OFF),
    ]


def test_a_pair_without_a_consenting_contact_is_proposed_but_not_invitable():
    morelia = city(MORELIA, consent=True, interest=interest(11, partner_cities=[LUOYANG, ANYANG]))
    luoyang = city(LUOYANG, country=CHINA, consent=False)
    anyang = city(ANYANG, country=CHINA, consent=True)

    outcome = propose(problem(morelia, luoyang, anyang))

    assert [(proposal.city_b, proposal.is_invitable) for proposal in outcome.proposals] == [
        (LUOYANG, False),
        (ANYANG, True),
    ]


def test_no_city_gets_more_than_its_cap_and_the_note_names_the_full_city():
    morelia = city(MORELIA, interest=interest(11, partner_cities=[LUOYANG, ANYANG], priorities=[10]))
    luoyang = city(LUOYANG, country=CHINA, practices=[practice(21, 1)])
    anyang = city(ANYANG, country=CHINA)

    outcome = propose(problem(morelia, luoyang, anyang, proposals_per_city=1))

    assert proposals_of(outcome) == [(MORELIA, LUOYANG, 14.0)]
    assert outcome.notes == [
        NamedPairNote(MORELIA, ANYANG, Cause.CAP, blocking_city=MORELIA, holding=(MORELIA, LUOYANG))
    ]


def test_a_city_that_named_someone_unknown_gets_a_note():
    morelia = city(MORELIA, interest=interest(11, partner_cities=[99]))

    outcome = propose(problem(morelia))

    assert outcome.notes == [NamedPairNote(MORELIA, 99, Cause.INACTIVE_CITY, blocking_city=99)]


def test_a_proposal_awaiting_review_keeps_its_place_while_it_is_its_citys_best_and_its_basis_stands():
    morelia = city(MORELIA, interest=interest(11, partner_cities=[ANYANG], themes_sought=[4]))
    luoyang = city(LUOYANG, country=CHINA, practices=[practice(21, 4)])  # a weaker fit than Anyang
    anyang = city(ANYANG, country=CHINA, practices=[practice(31, 4, webinar=True)])
    sao_paulo = city(SAO_PAULO, country=BRAZIL)  # pending, but nothing links it to Morelia any more
    pending = {pair_key(MORELIA, ANYANG), pair_key(MORELIA, SAO_PAULO)}

    outcome = propose(
        problem(morelia, luoyang, anyang, sao_paulo, pending_pairs=pending, proposals_per_city=1)
    )

    assert [(proposal.city_a, proposal.city_b, proposal.was_pending) for proposal in outcome.proposals] == [
        (MORELIA, ANYANG, True)
    ]
    assert outcome.dropped == [Dropped(MORELIA, SAO_PAULO, Cause.NO_BASIS)]


def test_a_proposal_awaiting_review_gives_way_to_a_better_pair_and_the_drop_names_it():
    # Morelia-Anyang was proposed first; Morelia has since named Luoyang, a better pair.
    morelia = city(MORELIA, interest=interest(11, partner_cities=[LUOYANG], themes_sought=[4]))
    luoyang = city(LUOYANG, country=CHINA)
    anyang = city(ANYANG, country=CHINA, practices=[practice(31, 4, webinar=True)])
    pending = {pair_key(MORELIA, ANYANG)}

    outcome = propose(problem(morelia, luoyang, anyang, pending_pairs=pending, proposals_per_city=1))

    assert proposals_of(outcome) == [(MORELIA, LUOYANG, 8.0)]
    assert outcome.dropped == [
        Dropped(MORELIA, ANYANG, Cause.DISPLACED, blocking_city=MORELIA, replaced_by=(MORELIA, LUOYANG))
    ]
    assert outcome.notes == []


def test_pending_proposals_beyond_a_lowered_cap_are_dropped_weakest_first():
    morelia = city(MORELIA, interest=interest(11, partner_cities=[LUOYANG], themes_sought=[4]))
    luoyang = city(LUOYANG, country=CHINA)
    anyang = city(ANYANG, country=CHINA, practices=[practice(31, 4)])
    pending = {pair_key(MORELIA, LUOYANG), pair_key(MORELIA, ANYANG)}

    outcome = propose(problem(morelia, luoyang, anyang, pending_pairs=pending, proposals_per_city=1))

    assert proposals_of(outcome) == [(MORELIA, LUOYANG, 8.0)]
    assert outcome.dropped == [
        Dropped(MORELIA, ANYANG, Cause.DISPLACED, blocking_city=MORELIA, replaced_by=(MORELIA, LUOYANG))
    ]


def test_a_pending_proposal_of_a_pair_that_formed_a_partnership_is_dropped():
    morelia = city(MORELIA, interest=interest(11, partner_cities=[LUOYANG]))
    luoyang = city(LUOYANG, country=CHINA)
    key = pair_key(MORELIA, LUOYANG)

    outcome = propose(problem(morelia, luoyang, pending_pairs={key}, blocked_pairs={key: Cause.PARTNERSHIP}))

    assert (outcome.proposals, outcome.dropped) == ([], [Dropped(MORELIA, LUOYANG, Cause.PARTNERSHIP)])


def test_one_city_refresh_only_returns_that_citys_pairs_and_respects_the_others_load():
    morelia = city(MORELIA, interest=interest(11, partner_cities=[LUOYANG, ANYANG]))
    oaxaca = city(OAXACA, interest=interest(16, partner_cities=[LUOYANG, ANYANG]))
    luoyang = city(LUOYANG, country=CHINA)
    anyang = city(ANYANG, country=CHINA)

    outcome = propose(
        problem(morelia, oaxaca, luoyang, anyang, proposals_per_city=1, fixed_load={LUOYANG: 1}),
        only_city=MORELIA,
    )

    assert proposals_of(outcome) == [(MORELIA, ANYANG, 8.0)]
    assert outcome.notes == [NamedPairNote(MORELIA, LUOYANG, Cause.CAP, blocking_city=LUOYANG)]


def test_one_city_refresh_finds_the_cities_that_named_it():
    morelia = city(MORELIA, interest=interest(11, partner_cities=[LUOYANG]))
    luoyang = city(LUOYANG, country=CHINA)

    outcome = propose(problem(morelia, luoyang), only_city=LUOYANG)

    assert proposals_of(outcome) == [(MORELIA, LUOYANG, 8.0)]


def test_the_same_input_gives_the_same_output():
    cities = [
        city(MORELIA, interest=interest(11, themes_sought=[1, 4], priorities=[10])),
        city(LUOYANG, country=CHINA, practices=[practice(21, 1, 4)]),
        city(ANYANG, country=CHINA, practices=[practice(31, 1, 4)]),
        city(SAO_PAULO, country=BRAZIL, practices=[practice(51, 1, 4)]),
    ]

    first = propose(problem(*cities, proposals_per_city=1))
    second = propose(problem(*reversed(cities), proposals_per_city=1))

    assert first == second
    assert proposals_of(first) == [(MORELIA, LUOYANG, 4.0)]  # a three-way tie: the lowest ids win


def test_neighbours_by_distance_or_by_sub_region_and_peers_of_the_same_size_add_to_a_linked_pair():
    from dataclasses import replace

    seeker = city(MORELIA, interest=interest(11, themes_sought=[4]))
    near = city(OAXACA, country=BRAZIL, practices=[practice(61, 4)])  # no coordinates: same sub-region
    far = city(LUOYANG, country=CHINA, practices=[practice(21, 4)])
    coordinates = {
        MORELIA: (19.70, -101.19, 850_000),
        OAXACA: (17.07, -96.72, 700_000),  # about 550 km from Morelia
        LUOYANG: (34.62, 112.45, 7_000_000),
    }
    placed = [
        replace(
            facts,
            latitude=coordinates[facts.id][0],
            longitude=coordinates[facts.id][1],
            population=coordinates[facts.id][2],
        )
        for facts in (seeker, near, far)
    ]
    no_coordinates = [replace(facts, subregion=REGIONS_OF[facts.country]) for facts in (seeker, near, far)]

    by_distance = propose(problem(*placed, proposals_per_city=2))
    by_region = propose(problem(*no_coordinates, proposals_per_city=2))

    assert proposals_of(by_distance) == [(MORELIA, OAXACA, 7.5), (MORELIA, LUOYANG, 6.0)]
    assert by_distance.proposals[0].reasons[1:] == (
        Reason(Kind.NEARBY, 1.0, distance_km=555),
        Reason(Kind.SIMILAR_SIZE, 0.5, size_class=1),
    )
    assert proposals_of(by_region) == [(MORELIA, OAXACA, 7.0), (MORELIA, LUOYANG, 6.0)]
    assert by_region.proposals[0].reasons[1:] == (Reason(Kind.NEARBY, 1.0, region=AMERICAS),)


def test_shared_traits_never_link_neighbours_by_themselves():
    morelia = city(MORELIA, interest=interest(11, themes_sought=[4]))
    oaxaca = city(OAXACA, country=BRAZIL)  # a neighbour offering nothing Morelia seeks

    assert propose(problem(morelia, oaxaca)).proposals == []


def test_declaring_every_offer_without_a_practice_counts_less_than_declaring_a_few():
    seeker = city(MORELIA, interest=interest(11, themes_sought=[4]))
    focused = city(LUOYANG, country=CHINA, interest=interest(12, themes_offered=[4]))
    everything = city(ANYANG, country=CHINA, interest=interest(13, themes_offered=[1, 2, 3, 4, 5, 6]))

    outcome = propose(problem(seeker, focused, everything, proposals_per_city=2))

    # declared_offer 0.5; six declared without a practice: each counts 3/6 of that.
    assert proposals_of(outcome) == [(MORELIA, LUOYANG, 3.0), (MORELIA, ANYANG, 1.5)]
