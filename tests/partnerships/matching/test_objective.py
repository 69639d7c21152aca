"""The objective a broker agrees with (docs/matching.md, "Selection"): reachable pairs first, and a
city's clearly best pair never traded for two weaker ones unless a cap forces it. Crafted cases."""

from partnerships.matching.engine import Weights, pair_key, propose, select

from .engine_data import BRAZIL, CHINA, ITALY, city, interest, practice, problem

ZANZIBAR, GALLE, LAMU, JAFFNA = 1, 2, 3, 4
POKHARA, LA_PAZ, CAPE_TOWN = 5, 6, 7


def chosen_pairs(outcome) -> list[tuple[int, int]]:
    return sorted((proposal.city_a, proposal.city_b) for proposal in outcome.proposals)


def test_a_citys_clearly_best_pair_is_not_traded_for_two_weaker_ones():
    # Zanzibar-Galle 11 (the best pair of both); Zanzibar-Lamu 7 and Galle-Jaffna 5 together make 12.
    scores = {
        pair_key(ZANZIBAR, GALLE): 11.0,
        pair_key(ZANZIBAR, LAMU): 7.0,
        pair_key(GALLE, JAFFNA): 5.0,
    }

    plain = select(scores, default_capacity=1)
    brokers = select(scores, default_capacity=1, margin=0.25)

    assert sorted(plain) == sorted([pair_key(ZANZIBAR, LAMU), pair_key(GALLE, JAFFNA)])
    assert brokers == {pair_key(ZANZIBAR, GALLE)}


def test_a_pair_only_a_little_better_may_give_way_to_two_good_ones():
    # 10 is not clearly better (by 25%) than 9: the two pairs of 9 win, as the total says.
    scores = {pair_key(ZANZIBAR, GALLE): 10.0, pair_key(ZANZIBAR, LAMU): 9.0, pair_key(GALLE, JAFFNA): 9.0}

    chosen = select(scores, default_capacity=1, margin=0.25)

    assert sorted(chosen) == sorted([pair_key(ZANZIBAR, LAMU), pair_key(GALLE, JAFFNA)])


def test_the_cap_still_decides_when_a_city_has_more_good_pairs_than_slots():
    # Zanzibar's three pairs are all clearly better than anything else, but it has two slots.
    scores = {
        pair_key(ZANZIBAR, GALLE): 12.0,
        pair_key(ZANZIBAR, LAMU): 11.0,
        pair_key(ZANZIBAR, JAFFNA): 10.0,
        pair_key(GALLE, LAMU): 2.0,
    }

    chosen = select(scores, default_capacity=2, margin=0.25)

    assert sorted(chosen) == sorted(
        [pair_key(ZANZIBAR, GALLE), pair_key(ZANZIBAR, LAMU), pair_key(GALLE, LAMU)]
    )


def test_an_invitable_pair_ranks_above_a_non_invitable_one_of_similar_fit():
    # Pokhara seeks theme 4: La Paz shows it (consenting contact), Cape Town shows it and presented
    # it at a webinar, but nobody there agreed to be contacted.
    pokhara = city(POKHARA, country=CHINA, interest=interest(51, themes_sought=[4]))
    la_paz = city(LA_PAZ, country=BRAZIL, practices=[practice(61, 4)])
    cape_town = city(CAPE_TOWN, country=ITALY, consent=False, practices=[practice(71, 4, webinar=True)])

    outcome = propose(problem(pokhara, la_paz, cape_town, proposals_per_city=1))

    assert chosen_pairs(outcome) == [(POKHARA, LA_PAZ)]
    assert outcome.proposals[0].is_invitable


def test_the_webinar_bonus_never_outweighs_reachability_however_large():
    pokhara = city(POKHARA, country=CHINA, interest=interest(51, themes_sought=[4]))
    la_paz = city(LA_PAZ, country=BRAZIL, practices=[practice(61, 4)])
    cape_town = city(CAPE_TOWN, country=ITALY, consent=False, practices=[practice(71, 4, webinar=True)])

    # Even with no factor against unreachable pairs and the webinar weight at its maximum.
    outcome = propose(
        problem(
            pokhara,
            la_paz,
            cape_town,
            proposals_per_city=1,
            non_invitable_factor=1.0,
            weights=Weights(webinar=100),
        )
    )

    assert chosen_pairs(outcome) == [(POKHARA, LA_PAZ)]


def test_a_clearly_better_non_invitable_pair_still_wins_at_the_default_factor():
    pokhara = city(
        POKHARA, country=CHINA, interest=interest(51, themes_sought=[4], partner_cities=[CAPE_TOWN])
    )
    la_paz = city(LA_PAZ, country=BRAZIL, practices=[practice(61, 4)])
    cape_town = city(CAPE_TOWN, country=ITALY, consent=False, practices=[practice(71, 4)])

    outcome = propose(problem(pokhara, la_paz, cape_town, proposals_per_city=1))

    assert chosen_pairs(outcome) == [(POKHARA, CAPE_TOWN)]  # 14 x 0.7 = 9.8 > 6


def test_non_invitable_pairs_can_be_kept_off_a_citys_slots():
    pokhara = city(
        POKHARA, country=CHINA, interest=interest(51, themes_sought=[4], partner_cities=[CAPE_TOWN])
    )
    la_paz = city(LA_PAZ, country=BRAZIL, practices=[practice(61, 4)])
    cape_town = city(CAPE_TOWN, country=ITALY, consent=False, practices=[practice(71, 4)])

    shared = propose(problem(pokhara, la_paz, cape_town, proposals_per_city=1))
    separate = propose(
        problem(pokhara, la_paz, cape_town, proposals_per_city=1, non_invitable_uses_slots=False)
    )

    assert chosen_pairs(shared) == [(POKHARA, CAPE_TOWN)]
    assert chosen_pairs(separate) == [(POKHARA, LA_PAZ), (POKHARA, CAPE_TOWN)]
    assert [proposal.is_invitable for proposal in separate.proposals] == [False, True]
