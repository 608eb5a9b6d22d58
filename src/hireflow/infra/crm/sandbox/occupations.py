"""Occupations across the fields a staffing agency recruits for, with the skills and pay that go with each."""

from __future__ import annotations

from dataclasses import dataclass

YEAR = "year"
HOUR = "hour"


@dataclass(frozen=True)
class Occupation:
    """A job title, its industry, its typical pay range (whole dollars per ``unit``) and its skills."""

    title: str
    industry: str
    unit: str
    pay_low: int
    pay_high: int
    skills: tuple[str, ...]


def _occupation(title: str, industry: str, pay: tuple[str, int, int], skills: str) -> Occupation:
    unit, low, high = pay
    return Occupation(title, industry, unit, low, high, tuple(skill.strip() for skill in skills.split(";")))


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


HEALTHCARE = "Healthcare"
TECHNOLOGY = "Technology"
LOGISTICS = "Transportation & Logistics"
FINANCE = "Finance & Accounting"
TRADES = "Skilled Trades"
MANUFACTURING = "Manufacturing"
OFFICE = "Office & Administration"
SALES = "Sales & Customer Service"
HOSPITALITY = "Hospitality"
CONSTRUCTION = "Construction"

INDUSTRIES: tuple[str, ...] = (
    HEALTHCARE, TECHNOLOGY, LOGISTICS, FINANCE, TRADES, MANUFACTURING, OFFICE, SALES, HOSPITALITY, CONSTRUCTION,
)  # fmt: skip

OCCUPATIONS: tuple[Occupation, ...] = (
    _occupation("Registered Nurse", HEALTHCARE, (HOUR, 36, 58), "BLS; ACLS; Patient Assessment; Epic EMR; Medication Administration; IV Therapy; Telemetry; Wound Care; Care Planning; Triage"),
    _occupation("Licensed Practical Nurse", HEALTHCARE, (HOUR, 24, 34), "BLS; Medication Administration; Vital Signs; Wound Care; Long-term Care; PointClickCare; Patient Education; IV Certification"),
    _occupation("Certified Nursing Assistant", HEALTHCARE, (HOUR, 16, 22), "Patient Care; Vital Signs; ADLs; CPR; Infection Control; Charting; Mobility Assistance; Dementia Care"),
    _occupation("Medical Assistant", HEALTHCARE, (HOUR, 17, 24), "Phlebotomy; Vital Signs; EHR; Patient Intake; Scheduling; Injections; Medical Terminology; HIPAA"),
    _occupation("Pharmacy Technician", HEALTHCARE, (HOUR, 17, 23), "Prescription Processing; Inventory Management; Compounding; PTCB Certification; Insurance Billing; Customer Service"),
    _occupation("Physical Therapist", HEALTHCARE, (YEAR, 85_000, 112_000), "Orthopedics; Manual Therapy; Rehabilitation; Gait Training; Therapeutic Exercise; Documentation; Geriatrics"),
    _occupation("Dental Hygienist", HEALTHCARE, (HOUR, 38, 50), "Prophylaxis; Periodontal Charting; Radiography; Local Anesthesia; Dentrix; Patient Education"),
    _occupation("Respiratory Therapist", HEALTHCARE, (HOUR, 30, 42), "Ventilator Management; ABG Analysis; BLS; ACLS; NRP; Airway Management; Pulmonary Function Testing"),
    _occupation("Software Engineer", TECHNOLOGY, (YEAR, 95_000, 165_000), "Python; Java; JavaScript; TypeScript; React; SQL; AWS; Docker; Kubernetes; Git; REST APIs; CI/CD"),
    _occupation("Senior Software Engineer", TECHNOLOGY, (YEAR, 140_000, 210_000), "System Design; Go; Python; Java; Microservices; AWS; Kubernetes; PostgreSQL; Kafka; Mentoring"),
    _occupation("Data Analyst", TECHNOLOGY, (YEAR, 65_000, 105_000), "SQL; Excel; Tableau; Power BI; Python; Statistics; Data Visualization; Looker"),
    _occupation("DevOps Engineer", TECHNOLOGY, (YEAR, 110_000, 170_000), "Terraform; AWS; Kubernetes; Docker; CI/CD; Linux; Ansible; Prometheus; Bash"),
    _occupation("IT Support Specialist", TECHNOLOGY, (HOUR, 20, 30), "Help Desk; Active Directory; Windows 10; Office 365; Troubleshooting; ServiceNow; Networking; Hardware Repair"),
    _occupation("QA Engineer", TECHNOLOGY, (YEAR, 75_000, 120_000), "Test Automation; Selenium; Cypress; Jira; API Testing; Regression Testing; Python"),
    _occupation("Truck Driver (CDL-A)", LOGISTICS, (YEAR, 60_000, 95_000), "CDL Class A; Hazmat Endorsement; DOT Compliance; ELD; Pre-trip Inspection; Defensive Driving; Tanker Endorsement"),
    _occupation("Delivery Driver", LOGISTICS, (HOUR, 17, 24), "Class C License; Route Planning; GPS Navigation; Package Handling; Customer Service; Clean MVR"),
    _occupation("Forklift Operator", LOGISTICS, (HOUR, 17, 23), "Forklift Certification; Reach Truck; Order Picking; RF Scanner; Inventory Control; OSHA Safety; Loading/Unloading"),
    _occupation("Warehouse Associate", LOGISTICS, (HOUR, 15, 21), "Order Picking; Packing; RF Scanner; Shipping & Receiving; Inventory; Pallet Jack; Cycle Counting"),
    _occupation("Dispatcher", LOGISTICS, (HOUR, 19, 27), "Load Planning; TMS; Route Optimization; Driver Communication; DOT Regulations; Excel"),
    _occupation("Logistics Coordinator", LOGISTICS, (YEAR, 48_000, 65_000), "Freight Booking; SAP; Customs Documentation; Carrier Relations; Excel; Supply Chain"),
    _occupation("Accountant", FINANCE, (YEAR, 60_000, 85_000), "GAAP; Month-end Close; Account Reconciliation; QuickBooks; Excel; Journal Entries; General Ledger"),
    _occupation("Senior Accountant", FINANCE, (YEAR, 75_000, 100_000), "GAAP; Financial Reporting; NetSuite; Account Reconciliation; Audit Support; Fixed Assets; CPA"),
    _occupation("Payroll Specialist", FINANCE, (HOUR, 22, 30), "ADP; Payroll Processing; Paylocity; Garnishments; Multi-state Payroll; Excel; Timekeeping"),
    _occupation("Bookkeeper", FINANCE, (HOUR, 20, 28), "QuickBooks; Accounts Payable; Accounts Receivable; Bank Reconciliation; Invoicing; Excel"),
    _occupation("Financial Analyst", FINANCE, (YEAR, 70_000, 105_000), "Financial Modeling; FP&A; Excel; Forecasting; Budgeting; Variance Analysis; SQL; Power BI"),
    _occupation("Electrician", TRADES, (HOUR, 28, 45), "NEC; Conduit Bending; Blueprint Reading; Troubleshooting; PLC; Commercial Wiring; Residential Wiring; OSHA 10; Journeyman License"),
    _occupation("HVAC Technician", TRADES, (HOUR, 24, 38), "EPA 608; Refrigeration; Troubleshooting; Ductwork; Boilers; Heat Pumps; Preventive Maintenance"),
    _occupation("Plumber", TRADES, (HOUR, 26, 40), "Pipe Fitting; Soldering; Backflow Testing; Drain Cleaning; Water Heaters; Blueprint Reading; Plumbing Code"),
    _occupation("Welder", TRADES, (HOUR, 20, 32), "MIG; TIG; Stick Welding; Flux-Core; Blueprint Reading; Fabrication; AWS Certification"),
    _occupation("Maintenance Technician", TRADES, (HOUR, 22, 32), "Preventive Maintenance; Electrical Troubleshooting; Hydraulics; Pneumatics; PLC; Welding; CMMS"),
    _occupation("CNC Machinist", MANUFACTURING, (HOUR, 22, 32), "CNC Programming; G-code; Mastercam; Blueprint Reading; Precision Measurement; Lathe; Mill; GD&T"),
    _occupation("Production Associate", MANUFACTURING, (HOUR, 16, 21), "Assembly; Machine Operation; Quality Inspection; Lean Manufacturing; 5S; Packaging"),
    _occupation("Quality Inspector", MANUFACTURING, (HOUR, 19, 27), "Calipers; Micrometers; ISO 9001; First Article Inspection; CMM; Root Cause Analysis"),
    _occupation("Assembler", MANUFACTURING, (HOUR, 16, 21), "Hand Tools; Power Tools; Soldering; Blueprint Reading; Wire Harness; Quality Control"),
    _occupation("Administrative Assistant", OFFICE, (HOUR, 18, 25), "Microsoft Office; Scheduling; Data Entry; Calendar Management; Customer Service; Filing; Outlook"),
    _occupation("Receptionist", OFFICE, (HOUR, 15, 20), "Multi-line Phones; Greeting Visitors; Scheduling; Data Entry; Microsoft Office; Bilingual Spanish"),
    _occupation("HR Generalist", OFFICE, (YEAR, 55_000, 78_000), "Onboarding; HRIS; Employee Relations; Benefits Administration; Workday; FMLA; Recruiting"),
    _occupation("Recruiter", OFFICE, (YEAR, 50_000, 80_000), "Sourcing; Boolean Search; LinkedIn Recruiter; Bullhorn; Full-cycle Recruiting; ATS; Interviewing"),
    _occupation("Project Manager", OFFICE, (YEAR, 85_000, 130_000), "PMP; Agile; Scrum; Jira; Budgeting; Stakeholder Management; Risk Management; MS Project"),
    _occupation("Customer Service Representative", SALES, (HOUR, 15, 20), "Call Center; CRM; Zendesk; Conflict Resolution; Data Entry; Bilingual Spanish; Multitasking"),
    _occupation("Sales Representative", SALES, (YEAR, 45_000, 75_000), "B2B Sales; Cold Calling; Salesforce; Negotiation; Lead Generation; Account Management; Territory Management"),
    _occupation("Retail Sales Associate", SALES, (HOUR, 14, 18), "Point of Sale; Merchandising; Cash Handling; Customer Service; Inventory; Visual Displays"),
    _occupation("Marketing Coordinator", SALES, (YEAR, 45_000, 62_000), "Social Media; HubSpot; Content Writing; SEO; Google Analytics; Canva; Email Marketing"),
    _occupation("Line Cook", HOSPITALITY, (HOUR, 15, 21), "Food Prep; Grill; Sauté; Knife Skills; ServSafe; Food Safety; Inventory"),
    _occupation("Housekeeper", HOSPITALITY, (HOUR, 14, 18), "Room Cleaning; Laundry; Sanitation; Attention to Detail; Chemical Safety; Time Management"),
    _occupation("Security Officer", HOSPITALITY, (HOUR, 16, 22), "Patrol; Access Control; CCTV; Report Writing; Guard Card; First Aid; Conflict De-escalation"),
    _occupation("Construction Laborer", CONSTRUCTION, (HOUR, 18, 26), "OSHA 10; Power Tools; Concrete; Framing; Demolition; Site Cleanup; Blueprint Reading"),
    _occupation("Carpenter", CONSTRUCTION, (HOUR, 22, 34), "Framing; Finish Carpentry; Blueprint Reading; Drywall; Power Tools; Cabinet Installation; OSHA 30"),
    _occupation("Heavy Equipment Operator", CONSTRUCTION, (HOUR, 24, 36), "Excavator; Bulldozer; Backhoe; Grading; CDL Class B; OSHA 10; GPS Grade Control"),
)  # fmt: skip

OCCUPATIONS_BY_INDUSTRY: dict[str, tuple[Occupation, ...]] = {
    industry: tuple(occupation for occupation in OCCUPATIONS if occupation.industry == industry)
    for industry in INDUSTRIES
}

JOB_TITLE_QUALIFIERS: tuple[str, ...] = (
    "", "", "", "", " - Night Shift", " - Days", " - Weekends", " (Temp to Hire)", " II", " - Urgent", " - $1,000 Sign-on Bonus",
)  # fmt: skip

COMPANY_PREFIXES: tuple[str, ...] = _words(
    """
    Summit Pinecrest BlueRiver Northstar Keystone Ironwood Lakeside Redwood Silverline Crescent Harbor Evergreen
    Granite Meridian Pioneer Liberty Cardinal Horizon Atlas Beacon Cascade Frontier Heritage Oakridge Prairie
    Riverbend Sterling Sunrise Trident Vanguard Westfield Apex Coastal Copperline Delta Eagle Falcon Highland
    Magnolia Pacific Patriot Quantum Tri-County Bayview Brightwater Clearview Driftwood Elmwood Foxhall Greystone
    """
)
COMPANY_NOUNS: dict[str, tuple[str, ...]] = {
    HEALTHCARE: ("Health", "Medical Center", "Health System", "Care Partners", "Senior Living", "Clinics"),
    TECHNOLOGY: ("Software", "Technologies", "Labs", "Data", "Systems", "Digital"),
    LOGISTICS: ("Logistics", "Freight", "Transport", "Distribution", "Supply Chain", "Trucking"),
    FINANCE: ("Financial", "Accounting Group", "Capital", "Tax & Advisory", "Bank", "Credit Union"),
    TRADES: ("Electric", "Mechanical", "Plumbing & Heating", "Building Services", "Facilities", "HVAC"),
    MANUFACTURING: (
        "Manufacturing",
        "Industries",
        "Precision Components",
        "Fabrication",
        "Plastics",
        "Foods",
    ),
    OFFICE: ("Business Services", "Property Management", "Insurance", "Legal", "Consulting", "Realty"),
    SALES: ("Retail", "Marketing", "Outfitters", "Brands", "Telecom", "Home Goods"),
    HOSPITALITY: (
        "Hospitality",
        "Hotels & Resorts",
        "Restaurant Group",
        "Catering",
        "Security Services",
        "Events",
    ),
    CONSTRUCTION: ("Construction", "Builders", "Contractors", "Homes", "Concrete", "Paving"),
}
COMPANY_SUFFIXES: tuple[str, ...] = (
    "Inc.",
    "LLC",
    "",
    "Corp.",
    "Co.",
    "Group",
    "",
    "Inc.",
    "LLC",
    "Partners",
)
