"""One realistic row of every domain model, with every optional field filled, stored through a unit of work.

``seed(uow, user_id)`` stores them in dependency order and returns ``{uow attribute: (input, stored)}``, so a
test can compare what went in with what came back. ``UPDATES`` holds a realistic change for each of them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from hireflow.domain.models.analytics import DashboardConfiguration, ProductUsageEvent
from hireflow.domain.models.base import Entity
from hireflow.domain.models.candidates import Candidate, CandidateExternalId, CandidateMedia, MediaKind
from hireflow.domain.models.funnel import FunnelLogEntry, FunnelState
from hireflow.domain.models.identity import Membership, MembershipRole
from hireflow.domain.models.jobs import (
    Application,
    ApplicationStatus,
    ClientCompany,
    JobEmploymentType,
    JobOpening,
    JobStatus,
    Placement,
    PlacementStatus,
)
from hireflow.domain.models.messaging import (
    AdTemplate,
    EmailLog,
    EmailStatus,
    MessageStatus,
    MessageTemplate,
    ScreeningMessage,
    TemplateStatus,
    WhatsappStatusUpdate,
)
from hireflow.domain.models.org import (
    AgeRange,
    BusinessUnit,
    EducationLevel,
    EligibilityCriteria,
    EmploymentType,
    HiringObjective,
    Location,
    ObjectiveStatus,
    PayPeriod,
    Role,
    Shift,
)
from hireflow.domain.models.screening import (
    CandidateReference,
    Channel,
    EligibilityEvaluation,
    InterviewOutcome,
    MessageDirection,
    OnboardingResponse,
    PhoneInterview,
    PhoneInterviewQuestion,
    PhoneInterviewStatus,
    QuestionKind,
    QuestionSet,
    ReferenceMessage,
    ReferenceStatus,
    ResponseTiming,
    ScreeningAnswer,
    ScreeningQuestion,
)
from hireflow.domain.ports.unit_of_work import UnitOfWork

T0 = datetime(2024, 5, 6, 9, 30, 15, 123456, tzinfo=UTC)
Seeded = dict[str, tuple[Entity, Entity]]


def _at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def seed(uow: UnitOfWork, user_id: int) -> Seeded:
    """Store one row of every tenant-owned model for ``uow``'s company group (and ``user_id``)."""
    cg = uow.company_group_id
    assert cg is not None
    seeded: Seeded = {}

    def put(name: str, entity: Entity) -> Any:
        stored = getattr(uow, name).add(entity)
        seeded[name] = (entity, stored)
        return stored

    put("memberships", Membership(company_group_id=cg, user_id=user_id, role=MembershipRole.RECRUITER))
    unit = put(
        "business_units",
        BusinessUnit(
            company_group_id=cg, name="Logistics", code="LOG", description="Warehouses and delivery"
        ),
    )
    place = put(
        "locations",
        Location(
            company_group_id=cg,
            business_unit_id=unit.id,
            name="Madrid DC",
            address_line="Calle de Alcalá 1",
            city="Madrid",
            region="Madrid",
            postal_code="28014",
            country_code="ES",
            latitude=40.4168,
            longitude=-3.7038,
            timezone="Europe/Madrid",
        ),
    )
    job = put(
        "roles",
        Role(
            company_group_id=cg,
            business_unit_id=unit.id,
            title="Forklift operator",
            description="Night shift, certified operators",
            employment_type=EmploymentType.TEMPORARY,
            pay_min_minor=1250,
            pay_max_minor=1500,
            pay_currency="EUR",
            eligibility_criteria=EligibilityCriteria(
                age=AgeRange(min_years=18, max_years=65),
                max_commute_km=30.5,
                required_documents=["forklift_license"],
                min_education=EducationLevel.SECONDARY,
                required_shifts=[Shift.NIGHT],
                min_experience_months=6,
                required_languages=["es"],
                work_authorization_required=True,
            ),
        ),
    )
    put(
        "hiring_objectives",
        HiringObjective(
            company_group_id=cg,
            role_id=job.id,
            location_id=place.id,
            business_unit_id=unit.id,
            objective_amount=25,
            start_date=date(2024, 6, 1),
            deadline=date(2024, 8, 31),
            notes="Peak season",
        ),
    )
    person = put(
        "candidates",
        Candidate(
            company_group_id=cg,
            first_name="Lucía",
            last_name="Fernández",
            phone_e164="+34612345678",
            email="lucia.fernandez@example.es",
            birth_date=date(1996, 3, 9),
            city="Madrid",
            region="Comunidad de Madrid",
            country="ES",
            postal_code="28001",
            headline="Forklift operator",
            skills=["forklift", "inventory", "night shifts"],
            summary="Six years in warehouse logistics, certified on counterbalance and reach trucks.",
            available_from=date(2024, 6, 1),
            latitude=40.42,
            longitude=-3.70,
            business_unit_id=unit.id,
            location_id=place.id,
            role_id=job.id,
            source_detail="campaign 2024-05",
            funnel_state=FunnelState.SCREENING,
            state_changed_at=_at(5),
            entered_at=T0,
            education_level=EducationLevel.VOCATIONAL,
            experience_months=18,
            languages=["es", "en"],
            shifts_available=[Shift.NIGHT, Shift.WEEKEND],
            has_work_authorization=True,
            salary_expectation_minor=140000,
            consent_to_contact=True,
        ),
    )
    put(
        "candidate_external_ids",
        CandidateExternalId(
            company_group_id=cg,
            candidate_id=person.id,
            source="bullhorn",
            external_id="BH-77",
            content_hash="5d41402abc4b2a76b9719d911017c592",
            source_modified_at=_at(3),
        ),
    )
    put(
        "candidate_media",
        CandidateMedia(
            company_group_id=cg,
            candidate_id=person.id,
            kind=MediaKind.RESUME,
            storage_key=f"cg/{cg}/candidates/{person.id}/cv.pdf",
            content_type="application/pdf",
            size_bytes=183_204,
            sha256="9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            original_filename="CV Lucía.pdf",
        ),
    )
    put(
        "funnel_log",
        FunnelLogEntry(
            company_group_id=cg,
            candidate_id=person.id,
            from_state=FunnelState.CONTACTED,
            to_state=FunnelState.SCREENING,
            occurred_at=_at(5),
            actor="recruiter",
            actor_user_id=user_id,
            reason="replied on WhatsApp",
            details={"message_id": "wamid.1", "latency_s": 42.5},
        ),
    )
    qset = put(
        "question_sets",
        QuestionSet(company_group_id=cg, role_id=job.id, name="Forklift intake", language="es"),
    )
    question = put(
        "screening_questions",
        ScreeningQuestion(
            company_group_id=cg,
            question_set_id=qset.id,
            position=0,
            key="shift",
            kind=QuestionKind.MULTIPLE_CHOICE,
            prompt="¿Qué turnos puedes hacer?",
            help_text="Elige todos los que apliquen",
            options=["mañana", "tarde", "noche"],
            validation={"min_choices": 1},
        ),
    )
    put(
        "screening_answers",
        ScreeningAnswer(
            company_group_id=cg,
            candidate_id=person.id,
            question_id=question.id,
            value=["noche"],
            raw_text="noche",
            answered_at=_at(7),
        ),
    )
    put(
        "response_timings",
        ResponseTiming(
            company_group_id=cg,
            candidate_id=person.id,
            question_id=question.id,
            sent_at=_at(6),
            answered_at=_at(7),
            response_ms=60_000,
        ),
    )
    put(
        "eligibility_evaluations",
        EligibilityEvaluation(
            company_group_id=cg,
            candidate_id=person.id,
            role_id=job.id,
            evaluated_at=_at(8),
            is_eligible=True,
            results=[{"criterion": "required_shifts", "passed": True, "reason": None}],
            criteria={"required_shifts": ["night"]},
        ),
    )
    interview = put(
        "phone_interviews",
        PhoneInterview(
            company_group_id=cg,
            candidate_id=person.id,
            role_id=job.id,
            question_set_id=qset.id,
            status=PhoneInterviewStatus.COMPLETED,
            provider_call_id="call_01HX",
            scheduled_at=_at(60),
            started_at=_at(61),
            ended_at=_at(70),
            outcome=InterviewOutcome.PASS,
            score=87.5,
            summary="Confident, certified",
            transcript="Agent: Hola...",
            recording_url="https://recordings.example.com/call_01HX.mp3",
        ),
    )
    put(
        "phone_interview_questions",
        PhoneInterviewQuestion(
            company_group_id=cg,
            phone_interview_id=interview.id,
            screening_question_id=question.id,
            position=0,
            question_text="¿Tienes carné de carretillero?",
            answer_text="Sí, desde 2019",
            score=90.0,
            notes="valid licence",
        ),
    )
    reference = put(
        "candidate_references",
        CandidateReference(
            company_group_id=cg,
            candidate_id=person.id,
            name="Jorge Ruiz",
            relationship="former supervisor",
            company_name="Logística Ibérica",
            phone_e164="+34698765432",
            email="jorge.ruiz@example.es",
            status=ReferenceStatus.VERIFIED,
            requested_at=_at(80),
            responded_at=_at(200),
            verified_at=_at(210),
            verified_by_user_id=user_id,
            rating=5,
            notes="would rehire",
        ),
    )
    put(
        "reference_messages",
        ReferenceMessage(
            company_group_id=cg,
            reference_id=reference.id,
            direction=MessageDirection.OUTBOUND,
            channel=Channel.WHATSAPP,
            body="Hola Jorge, ¿podrías darnos una referencia de Lucía?",
            sent_at=_at(81),
            external_message_id="wamid.ref1",
        ),
    )
    put(
        "onboarding_responses",
        OnboardingResponse(
            company_group_id=cg,
            candidate_id=person.id,
            step_key="uniform_size",
            value={"size": "M", "shoes": 39},
            submitted_at=_at(300),
        ),
    )
    template = put(
        "message_templates",
        MessageTemplate(
            company_group_id=cg,
            name="screening_invite",
            channel=Channel.WHATSAPP,
            language="es",
            subject="Tu candidatura",
            body="Hola {{first_name}}, gracias por aplicar a {{role}}.",
            variables=["first_name", "role"],
            provider_template_id="tmpl_123",
            status=TemplateStatus.APPROVED,
        ),
    )
    message = put(
        "screening_messages",
        ScreeningMessage(
            company_group_id=cg,
            candidate_id=person.id,
            template_id=template.id,
            question_id=question.id,
            direction=MessageDirection.OUTBOUND,
            channel=Channel.WHATSAPP,
            body="Hola Lucía, gracias por aplicar a Forklift operator.",
            external_message_id=f"wamid.{cg}.1",
            status=MessageStatus.READ,
            sent_at=_at(6),
            delivered_at=_at(6),
            read_at=_at(7),
        ),
    )
    put(
        "whatsapp_status_updates",
        WhatsappStatusUpdate(
            company_group_id=cg,
            screening_message_id=message.id,
            external_message_id=f"wamid.{cg}.1",
            status=MessageStatus.READ,
            occurred_at=_at(7),
            raw_payload={"statuses": [{"id": f"wamid.{cg}.1", "status": "read"}]},
        ),
    )
    put(
        "email_logs",
        EmailLog(
            company_group_id=cg,
            candidate_id=person.id,
            template_id=template.id,
            to_address="lucia.fernandez@example.es",
            from_address="jobs@acme.example",
            subject="Tu entrevista",
            body_text="Te esperamos el lunes.",
            status=EmailStatus.SENT,
            provider_message_id="<abc@mail.acme.example>",
            sent_at=_at(400),
        ),
    )
    put(
        "ad_templates",
        AdTemplate(
            company_group_id=cg,
            role_id=job.id,
            name="Forklift summer",
            headline="Carretilleros/as en Madrid",
            body="Turno de noche, 14 €/h.",
            call_to_action="APPLY_NOW",
            image_storage_key=f"cg/{cg}/ads/forklift.jpg",
            targeting={"geo": {"cities": ["Madrid"], "radius_km": 30}, "age_min": 18},
        ),
    )
    client = put(
        "client_companies",
        ClientCompany(
            company_group_id=cg,
            source="bullhorn",
            external_id=f"CC-{cg}",
            content_hash="0cc175b9c0f1b6a831c399e269772661",
            source_modified_at=_at(1),
            name="Almacenes Centro SL",
            website="https://almacenes-centro.example.es",
            phone="+34910000000",
            industry="Logistics",
            city="Getafe",
            region="Comunidad de Madrid",
            country="ES",
            status="Active Account",
        ),
    )
    opening = put(
        "job_openings",
        JobOpening(
            company_group_id=cg,
            source="bullhorn",
            external_id=f"JO-{cg}",
            content_hash="92eb5ffee6ae2fec3ad71c777531578f",
            source_modified_at=_at(2),
            title="Forklift operator, nights",
            description="Reach-truck work in a cold store.",
            client_company_id=client.id,
            role_id=job.id,
            location_id=place.id,
            city="Getafe",
            region="Comunidad de Madrid",
            country="ES",
            postal_code="28901",
            salary_min_minor=1300,
            salary_max_minor=1500,
            salary_currency="EUR",
            salary_unit=PayPeriod.HOUR,
            employment_type=JobEmploymentType.TEMPORARY,
            skills=["forklift", "cold store"],
            status=JobStatus.OPEN,
            openings=4,
            opened_at=_at(2),
        ),
    )
    application = put(
        "applications",
        Application(
            company_group_id=cg,
            source="bullhorn",
            external_id=f"JS-{cg}",
            content_hash="4a8a08f09d37b73795649038408b5f33",
            source_modified_at=_at(3),
            candidate_id=person.id,
            job_id=opening.id,
            status=ApplicationStatus.INTERVIEWING,
            applied_at=_at(3),
        ),
    )
    put(
        "placements",
        Placement(
            company_group_id=cg,
            source="bullhorn",
            external_id=f"PL-{cg}",
            content_hash="8277e0910d750195b448797616e091ad",
            source_modified_at=_at(4),
            candidate_id=person.id,
            job_id=opening.id,
            application_id=application.id,
            status=PlacementStatus.ACTIVE,
            start_date=date(2024, 6, 3),
            end_date=date(2024, 9, 30),
            salary_minor=1400,
            salary_unit=PayPeriod.HOUR,
            salary_currency="EUR",
        ),
    )
    put(
        "product_usage",
        ProductUsageEvent(
            company_group_id=cg,
            user_id=user_id,
            event_name="dashboard.viewed",
            occurred_at=_at(500),
            properties={"dashboard": "funnel"},
        ),
    )
    put(
        "dashboard_configurations",
        DashboardConfiguration(
            company_group_id=cg,
            user_id=user_id,
            name="My funnel",
            layout={"widgets": [{"kind": "funnel", "x": 0, "y": 0}]},
            filters={"role_id": job.id},
            is_default=True,
        ),
    )
    return seeded


UPDATES: dict[str, dict[str, Any]] = {
    "memberships": {"role": MembershipRole.ADMIN},
    "business_units": {"description": "Warehouses only", "is_active": False},
    "locations": {"latitude": 40.5, "longitude": -3.6, "postal_code": "28001"},
    "roles": {
        "pay_max_minor": 1600,
        "eligibility_criteria": EligibilityCriteria(required_languages=["es", "en"]),
    },
    "hiring_objectives": {
        "objective_amount": 30,
        "status": ObjectiveStatus.MET,
        "deadline": date(2024, 9, 30),
    },
    "candidates": {
        "funnel_state": FunnelState.ELIGIBLE,
        "languages": ["es"],
        "birth_date": date(1996, 3, 10),
    },
    "candidate_external_ids": {"external_id": "BH-78"},
    "candidate_media": {"kind": MediaKind.CERTIFICATE, "size_bytes": 1024},
    "funnel_log": {"applied": False, "details": {"late": True}},
    "question_sets": {"version": 2, "is_active": False},
    "screening_questions": {"options": ["mañana", "noche"], "is_required": False},
    "screening_answers": {"value": {"choices": ["noche", "tarde"]}, "answered_at": _at(9)},
    "response_timings": {"answered_at": _at(8), "response_ms": 120_000},
    "eligibility_evaluations": {"is_eligible": False, "results": [{"criterion": "age", "passed": False}]},
    "phone_interviews": {"outcome": InterviewOutcome.REVIEW, "score": 55.25},
    "phone_interview_questions": {"answer_text": "No", "score": 0.0},
    "candidate_references": {"rating": 4, "status": ReferenceStatus.RESPONDED},
    "reference_messages": {"body": "Gracias, Jorge"},
    "onboarding_responses": {"value": "L"},
    "message_templates": {"status": TemplateStatus.REJECTED, "variables": []},
    "screening_messages": {"status": MessageStatus.FAILED, "error_code": "131047"},
    "whatsapp_status_updates": {"error_title": "Re-engagement message", "raw_payload": {}},
    "email_logs": {"status": EmailStatus.BOUNCED, "error": "550 mailbox unavailable"},
    "ad_templates": {"targeting": {"geo": {"cities": ["Madrid", "Getafe"]}}},
    "client_companies": {"name": "Almacenes Centro SLU", "deleted_at": _at(600)},
    "job_openings": {"status": JobStatus.FILLED, "skills": ["forklift"], "openings": 0},
    "applications": {"status": ApplicationStatus.PLACED},
    "placements": {"status": PlacementStatus.COMPLETED, "end_date": date(2024, 8, 31)},
    "product_usage": {"properties": {"dashboard": "objectives", "ms": 1234}},
    "dashboard_configurations": {"is_default": False, "filters": {}},
}
