from django.urls import include, path

from . import plan_views, views, views_pathway, views_transfer

app_name = "planning"
urlpatterns = [
    path("persons/<int:person_id>/plan/", views.plan_page, name="plan"),
    path(
        "persons/<int:person_id>/plan/contact-officer/",
        views.allocate,
        name="allocate",
    ),
    path("persons/<int:person_id>/plan/sessions/new/", views.session_add, name="session_add"),
    path("persons/<int:person_id>/plan/needs/", views.needs_edit, name="needs"),
    path(
        "persons/<int:person_id>/plan/needs/complete/",
        views.needs_complete,
        name="needs_complete",
    ),
    path("planning/caseload/", views.caseload, name="caseload"),
    # The way home: the pathway of one person, and the facility's eligible-but-not-moved list.
    path("persons/<int:person_id>/pathway/", views_pathway.pathway_page, name="pathway"),
    path(
        "persons/<int:person_id>/pathway/decisions/new/",
        views_pathway.decision_add,
        name="pathway_decision",
    ),
    path(
        "planning/facilities/<int:facility_id>/less-restrictive/",
        views_pathway.less_restrictive,
        name="less_restrictive",
    ),
    # Risk assessment and the sentence plan (framtidsplan).
    path("persons/<int:person_id>/plan/risk/new/", plan_views.risk_add, name="risk_add"),
    path(
        "persons/<int:person_id>/plan/framtidsplan/",
        plan_views.plan_create,
        name="framtidsplan_create",
    ),
    path(
        "persons/<int:person_id>/plan/framtidsplan/goals/new/",
        plan_views.goal_add,
        name="framtidsplan_goal_add",
    ),
    path(
        "persons/<int:person_id>/plan/framtidsplan/goals/<int:goal_id>/steps/new/",
        plan_views.step_add,
        name="framtidsplan_step_add",
    ),
    path(
        "persons/<int:person_id>/plan/framtidsplan/steps/<int:step_id>/status/",
        plan_views.step_status,
        name="framtidsplan_step_status",
    ),
    path(
        "persons/<int:person_id>/plan/framtidsplan/agreement/",
        plan_views.agreement,
        name="framtidsplan_agreement",
    ),
    path(
        "persons/<int:person_id>/plan/framtidsplan/print/",
        plan_views.plan_print,
        name="framtidsplan_print",
    ),
    # Placement and transfer cases.
    path("persons/<int:person_id>/placement/", views_transfer.placement_page, name="placement"),
    path(
        "persons/<int:person_id>/placement/transfers/new/",
        views_transfer.propose,
        name="transfer_propose",
    ),
    path("planning/transfers/", views_transfer.queue, name="transfer_queue"),
    path("planning/transfers/<int:case_id>/", views_transfer.case_page, name="transfer"),
    path(
        "planning/transfers/<int:case_id>/decision/",
        views_transfer.decide,
        name="transfer_decide",
    ),
    path(
        "planning/transfers/<int:case_id>/execute/",
        views_transfer.execute,
        name="transfer_execute",
    ),
    path(
        "planning/transfers/<int:case_id>/withdraw/",
        views_transfer.withdraw,
        name="transfer_withdraw",
    ),
    path(
        "planning/transfers/<int:case_id>/letter/",
        views_transfer.letter,
        name="transfer_letter",
    ),
    # Reentry: referrals, release readiness and the SGL § 41 duty.
    path("", include("normalitet.planning.urls_reentry")),
]
