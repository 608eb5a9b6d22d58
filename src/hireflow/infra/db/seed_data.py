"""The fixed material of the demo data set: names, sites, company groups, roles, screening questions, templates.

Plain tuples and small named tuples only; :mod:`hireflow.infra.db.seed_org` and
:mod:`hireflow.infra.db.seed_funnel` turn them into rows with a seeded random generator.
"""

from __future__ import annotations

from typing import Any, NamedTuple

FIRST_NAMES = (
    "James", "Maria", "Robert", "Jennifer", "Michael", "Linda", "David", "Patricia", "William", "Elizabeth",
    "Jose", "Barbara", "Carlos", "Susan", "Daniel", "Jessica", "Matthew", "Sarah", "Anthony", "Karen",
    "Mark", "Lisa", "Luis", "Nancy", "Steven", "Betty", "Andrew", "Sandra", "Joshua", "Ashley", "Kevin",
    "Kimberly", "Brian", "Emily", "Juan", "Donna", "Darnell", "Michelle", "Jason", "Carol", "Tyrone",
    "Amanda", "Ryan", "Melissa", "Jacob", "Deborah", "Gary", "Stephanie", "Nicholas", "Rebecca", "Eric",
    "Sharon", "Miguel", "Laura", "Jonathan", "Cynthia", "Stephen", "Dorothy", "Larry", "Amy", "Justin",
    "Kathleen", "Scott", "Angela", "Brandon", "Shirley", "Benjamin", "Brenda", "Samuel", "Emma", "Gregory",
    "Anna", "Alexander", "Pamela", "Frank", "Nicole", "Raymond", "Samantha", "Jamal", "Katherine", "Minh",
    "Christine", "Wei", "Keisha", "Andre", "Rosa", "Hector", "Guadalupe", "Terrence", "Aaliyah", "Dmitri",
    "Priya", "Omar", "Fatima", "Xavier", "Imani", "Mateo", "Sofia", "Diego", "Valentina", "Malik", "Jasmine",
)  # fmt: skip

LAST_NAMES = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
    "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
    "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
    "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green",
    "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Gomez",
    "Phillips", "Evans", "Turner", "Diaz", "Parker", "Cruz", "Edwards", "Collins", "Reyes", "Stewart",
    "Morris", "Morales", "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan", "Cooper", "Peterson",
    "Bailey", "Reed", "Kelly", "Howard", "Ramos", "Kim", "Cox", "Ward", "Richardson", "Watson", "Brooks",
    "Chavez", "Wood", "James", "Bennett", "Gray", "Mendoza", "Ruiz", "Hughes", "Price", "Alvarez", "Castillo",
    "Sanders", "Patel", "Myers", "Long", "Ross", "Foster", "Jimenez", "Washington", "Chen", "Okafor",
)  # fmt: skip

EMAIL_DOMAINS = ("example.com", "example.net", "example.org", "mail.example.com")

# Exchange codes a real US number can have: 200-999 without the N11 service codes and the fictional 555.
EXCHANGES = tuple(code for code in range(200, 1000) if code % 100 != 11 and code != 555)


class Site(NamedTuple):
    """A workplace: name, street address, city, state, ZIP, coordinates, time zone, local area code."""

    name: str
    address: str
    city: str
    region: str
    postal_code: str
    latitude: float
    longitude: float
    timezone: str
    area_code: int


class RoleSpec(NamedTuple):
    """A role: title, description, employment type, hourly pay band in cents, criteria, extra question keys."""

    title: str
    description: str
    employment_type: str
    pay_min_minor: int
    pay_max_minor: int
    criteria: dict[str, Any]
    questions: tuple[str, ...]


class UnitSpec(NamedTuple):
    name: str
    code: str
    description: str
    roles: tuple[RoleSpec, ...]
    sites: tuple[Site, ...]


class GroupSpec(NamedTuple):
    """A company group, its share of the candidates, its units and its staff ``(full name, membership role)``."""

    name: str
    slug: str
    timezone: str
    share: float
    units: tuple[UnitSpec, ...]
    staff: tuple[tuple[str, str], ...]


_CT, _ET, _MT, _PT, _AZ = (
    "America/Chicago",
    "America/New_York",
    "America/Denver",
    "America/Los_Angeles",
    "America/Phoenix",
)

_GROUND_RULES: dict[str, Any] = {"age": {"min_years": 18}, "work_authorization_required": True}

GROUPS = (
    GroupSpec("Northstar Logistics Group", "northstar-logistics", _CT, 0.45, (
        UnitSpec("Northstar Fulfillment", "NSF", "Regional distribution and fulfillment centers", (
            RoleSpec("Warehouse Associate", "Receive, pick, pack and ship orders in a fast-paced DC.", "full_time",
                     1750, 2150, {**_GROUND_RULES, "max_commute_km": 40, "required_documents": ["government_id"]},
                     ("lift_50_lbs",)),
            RoleSpec("Forklift Operator", "Operate sit-down and reach forklifts to move and stage pallets.",
                     "full_time", 2000, 2500, {**_GROUND_RULES, "max_commute_km": 45, "min_experience_months": 6,
                     "required_documents": ["government_id", "forklift_certification"]}, ("forklift_certification",)),
            RoleSpec("Night Shift Picker", "Pick e-commerce orders with an RF scanner on the overnight shift.",
                     "part_time", 1800, 2100, {**_GROUND_RULES, "required_shifts": ["night"], "max_commute_km": 35},
                     ("lift_50_lbs",)),
        ), (
            Site("Dallas DC", "4100 Mountain Creek Pkwy", "Dallas", "TX", "75236", 32.6869, -96.9581, _CT, 214),
            Site("Memphis Hub", "3300 Democrat Rd", "Memphis", "TN", "38118", 35.0566, -89.9462, _CT, 901),
            Site("Columbus DC", "6055 Rickenbacker Pkwy", "Columbus", "OH", "43217", 39.8114, -82.9252, _ET, 614),
            Site("Phoenix DC", "4747 W Buckeye Rd", "Phoenix", "AZ", "85043", 33.4365, -112.1621, _AZ, 602),
        )),
        UnitSpec("Northstar Last Mile", "NLM", "Same-day and next-day delivery stations", (
            RoleSpec("Delivery Driver", "Deliver packages on a planned route in a company van; no CDL needed.",
                     "full_time", 1900, 2400, {"age": {"min_years": 21}, "work_authorization_required": True,
                     "min_experience_months": 12, "max_commute_km": 50, "required_documents": ["drivers_license"]},
                     ("drivers_license", "clean_driving_record")),
            RoleSpec("Delivery Helper", "Ride along with a driver and carry packages to the door.", "seasonal",
                     1650, 1850, {**_GROUND_RULES, "max_commute_km": 30}, ("lift_50_lbs",)),
        ), (
            Site("Chicago South Station", "2500 S Kedzie Ave", "Chicago", "IL", "60623", 41.8460, -87.7050, _CT, 312),
            Site("Atlanta West Station", "1650 Fulton Industrial Blvd", "Atlanta", "GA", "30336", 33.7701, -84.5419,
                 _ET, 404),
            Site("Houston North Station", "12200 Aldine Bender Rd", "Houston", "TX", "77032", 29.9397, -95.3466, _CT,
                 713),
        )),
    ), (("Dana Whitfield", "admin"), ("Marcus Bell", "recruiter"), ("Alicia Romero", "recruiter"),
        ("Trevor Lang", "hiring_manager"), ("Priya Raman", "viewer"))),
    GroupSpec("Harborview Retail Co.", "harborview-retail", _ET, 0.35, (
        UnitSpec("Harborview Markets", "HVM", "Neighborhood grocery stores", (
            RoleSpec("Cashier", "Check out customers quickly and accurately at the front end.", "part_time", 1550,
                     1750, {"age": {"min_years": 16}, "work_authorization_required": True,
                     "required_languages": ["en"], "max_commute_km": 20}, ("cash_handling",)),
            RoleSpec("Stock Associate", "Unload trucks and keep shelves full and tidy.", "part_time", 1600, 1800,
                     {"age": {"min_years": 16}, "work_authorization_required": True,
                     "required_shifts": ["morning"], "max_commute_km": 20}, ("lift_50_lbs",)),
            RoleSpec("Deli Clerk", "Slice, weigh and serve deli orders following food-safety rules.", "full_time",
                     1700, 1950, {**_GROUND_RULES, "required_documents": ["food_handler_card"],
                     "max_commute_km": 25}, ("food_handler_card",)),
        ), (
            Site("Brooklyn Atlantic Ave", "610 Atlantic Ave", "New York", "NY", "11217", 40.6840, -73.9770, _ET, 917),
            Site("Boston Dorchester", "770 Dorchester Ave", "Boston", "MA", "02125", 42.3240, -71.0570, _ET, 617),
            Site("Philadelphia Fishtown", "1200 Frankford Ave", "Philadelphia", "PA", "19125", 39.9690, -75.1340,
                 _ET, 215),
            Site("Miami Little Havana", "1450 SW 8th St", "Miami", "FL", "33135", 25.7655, -80.2170, _ET, 305),
        )),
        UnitSpec("Harborview Home", "HVH", "Home goods superstores", (
            RoleSpec("Sales Floor Associate", "Help customers find products and keep the floor recovered.",
                     "part_time", 1600, 1850, {**_GROUND_RULES, "min_education": "secondary",
                     "max_commute_km": 25}, ("education",)),
        ), (
            Site("Orlando Millenia", "4200 Conroy Rd", "Orlando", "FL", "32839", 28.4880, -81.4300, _ET, 407),
            Site("Manhattan Chelsea", "250 W 23rd St", "New York", "NY", "10011", 40.7450, -73.9970, _ET, 212),
        )),
    ), (("Grace Okafor", "admin"), ("Luis Herrera", "recruiter"), ("Nina Castillo", "recruiter"),
        ("Owen Brooks", "hiring_manager"))),
    GroupSpec("Sunmesa Hospitality", "sunmesa-hospitality", _PT, 0.20, (
        UnitSpec("Sunmesa Hotels", "SMH", "Full-service resort hotels", (
            RoleSpec("Housekeeper", "Clean and restock guest rooms to brand standards.", "full_time", 1700, 2000,
                     {**_GROUND_RULES, "required_shifts": ["morning", "weekend"], "max_commute_km": 30}, ()),
            RoleSpec("Front Desk Agent", "Check guests in and out and resolve requests with a smile.", "full_time",
                     1800, 2150, {**_GROUND_RULES, "min_education": "secondary", "required_languages": ["en"],
                     "required_shifts": ["rotating"]}, ("education",)),
        ), (
            Site("Las Vegas Strip Resort", "3400 Las Vegas Blvd S", "Las Vegas", "NV", "89109", 36.1215, -115.1739,
                 _PT, 702),
            Site("San Diego Harbor Hotel", "1 Market Pl", "San Diego", "CA", "92101", 32.7100, -117.1680, _PT, 619),
        )),
        UnitSpec("Sunmesa Kitchens", "SMK", "Restaurants and banquet kitchens", (
            RoleSpec("Line Cook", "Prepare dishes on the line during busy services.", "full_time", 1900, 2400,
                     {**_GROUND_RULES, "min_experience_months": 6, "required_documents": ["food_handler_card"],
                     "required_shifts": ["afternoon", "weekend"], "max_commute_km": 35}, ("food_handler_card",)),
            RoleSpec("Dishwasher", "Keep dishes, pots and the dish pit clean during service.", "part_time", 1600,
                     1800, {"age": {"min_years": 16}, "work_authorization_required": True,
                     "max_commute_km": 25}, ()),
        ), (
            Site("Los Angeles Arts District", "800 E 3rd St", "Los Angeles", "CA", "90013", 34.0460, -118.2370, _PT,
                 213),
            Site("Austin South Congress", "1500 S Congress Ave", "Austin", "TX", "78704", 30.2490, -97.7500, _CT,
                 512),
            Site("Denver RiNo", "3500 Walnut St", "Denver", "CO", "80205", 39.7670, -104.9770, _MT, 303),
        )),
    ), (("Sofia Delgado", "admin"), ("Kenji Watanabe", "recruiter"), ("Rachel Stone", "viewer"))),
)  # fmt: skip


class QuestionSpec(NamedTuple):
    kind: str
    prompt: str
    options: tuple[str, ...] = ()
    validation: dict[str, Any] = {}
    required: bool = True
    help_text: str | None = None


EDUCATION_OPTIONS = ("none", "primary", "secondary", "vocational", "associate", "bachelor")
SHIFT_OPTIONS = ("morning", "afternoon", "night", "weekend", "rotating")
START_OPTIONS = ("immediately", "within_1_week", "within_2_weeks", "within_1_month")

QUESTIONS: dict[str, QuestionSpec] = {
    "work_authorization": QuestionSpec("yes_no", "Are you legally authorized to work in the United States?"),
    "birth_date": QuestionSpec("date", "What is your date of birth?", help_text="MM/DD/YYYY"),
    "home_location": QuestionSpec("location", "Please share your location so we can find the site nearest you."),
    "experience_months": QuestionSpec(
        "number", "How many months of experience do you have in a similar job?", validation={"min": 0, "max": 600}
    ),
    "education": QuestionSpec("single_choice", "What is the highest level of education you completed?",
                              EDUCATION_OPTIONS),
    "shifts": QuestionSpec("multiple_choice", "Which shifts can you work?", SHIFT_OPTIONS),
    "start_date": QuestionSpec("single_choice", "When could you start?", START_OPTIONS),
    "lift_50_lbs": QuestionSpec("yes_no", "Can you lift up to 50 lbs repeatedly during a shift?"),
    "forklift_certification": QuestionSpec("document", "Please send a photo of your forklift certification."),
    "drivers_license": QuestionSpec("document", "Please send a photo of the front of your driver's license."),
    "clean_driving_record": QuestionSpec("yes_no", "Have you been free of major traffic violations for 3 years?"),
    "cash_handling": QuestionSpec("yes_no", "Have you handled cash or a register before?"),
    "food_handler_card": QuestionSpec("document", "Please send a photo of your food handler card."),
    "about_you": QuestionSpec("free_text", "Anything else you would like the hiring team to know?",
                              required=False),
}  # fmt: skip

COMMON_QUESTIONS = ("work_authorization", "birth_date", "home_location", "experience_months", "shifts")
CLOSING_QUESTIONS = ("start_date", "about_you")

FREE_TEXT_ANSWERS = (
    "I am reliable and always on time.",
    "I can work overtime when needed.",
    "I have my own transportation.",
    "Looking for a long-term position close to home.",
    "I worked two peak seasons at a similar company.",
    "I speak English and Spanish.",
    "Available to start right away.",
    "I prefer early shifts because of school pickup.",
)

# (name, channel, category, subject, body); variables are read from the {{placeholders}}.
TEMPLATES = (
    ("welcome", "whatsapp", "utility", None,
     "Hi {{first_name}}! Thanks for your interest in the {{role_title}} job at {{company_name}}. "
     "Reply YES to answer a few quick questions."),
    ("screening_reminder", "whatsapp", "utility", None,
     "Hi {{first_name}}, you are almost done with your application for {{role_title}}. Reply to continue."),
    ("interview_invitation", "whatsapp", "utility", None,
     "Good news {{first_name}}! Your interview for {{role_title}} is on {{interview_date}} at {{location_name}}."),
    ("interview_reminder", "sms", "utility", None,
     "Reminder: interview tomorrow {{interview_date}} at {{location_name}}. Reply C to confirm."),
    ("offer_letter", "email", "utility", "Your offer from {{company_name}}",
     "Dear {{first_name}},\n\nWe are happy to offer you the {{role_title}} position at {{pay_rate}} per hour. "
     "Please confirm by {{offer_deadline}}.\n\n{{recruiter_name}}"),
    ("onboarding_welcome", "email", "utility", "Welcome to {{company_name}}!",
     "Hi {{first_name}},\n\nWelcome aboard! Your first day is {{start_date}} at {{location_name}}."),
    ("not_selected", "email", "utility", "Your application at {{company_name}}",
     "Hi {{first_name}},\n\nThank you for applying for {{role_title}}. We decided to move forward with other "
     "candidates this time."),
    ("job_alert", "whatsapp", "marketing", None,
     "New {{role_title}} openings near {{city}} at {{company_name}}. Reply APPLY to start."),
)  # fmt: skip

# How candidates find the jobs: (source, weight, details to pick from).
SOURCES = (
    ("meta_ads", 30, ("spring-hiring-campaign", "warehouse-lookalike", "local-radius-15mi")),
    ("whatsapp", 18, ("click-to-chat", "qr-code-store")),
    ("job_board", 20, ("Indeed", "ZipRecruiter", "Snagajob", "Craigslist")),
    ("careers_site", 12, ("careers page", "job widget")),
    ("referral", 8, ("employee referral",)),
    ("walk_in", 4, ("front desk",)),
    ("agency", 4, ("StaffPro Agency", "QuickTemps")),
    ("crm", 2, ("bullhorn import",)),
    ("other", 2, ("job fair",)),
)

WITHDRAW_REASONS = (
    "accepted another offer", "schedule does not work", "pay below expectations", "commute too long",
    "no longer interested",
)  # fmt: skip
REJECT_REASONS = (
    "not a fit for the role",
    "failed the skills check",
    "position filled",
    "failed background check",
)
