"""``hireflow sandbox``: serve a local Bullhorn, HubSpot or Salesforce sandbox for tests, demos and benchmarks.

Each command prints the base URL and the credentials to use, then serves until Ctrl-C. The sandboxes speak the
CRM's own protocol over deterministic data (see docs/crm-sandboxes.md); they need the 'server' extra.
"""

# Imports inside functions are deliberate: the CLI loads FastAPI, uvicorn and the sandboxes only when a
# command needs them, so `hireflow --help` and `--version` stay fast and import nothing heavy.

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from hireflow.infra.crm.sandbox.config import SandboxConfig

DEFAULT_RECORDS = 10_000
DEFAULT_SEED = 42

sandbox_app = typer.Typer(
    name="sandbox",
    help="Local CRM sandboxes (Bullhorn, HubSpot, Salesforce) with realistic data and injectable faults.",
    no_args_is_help=True,
)

Records = Annotated[
    int,
    typer.Option(
        min=1, help="Main records (candidates/contacts); jobs, applications and companies scale from it."
    ),
]
Faults = Annotated[
    list[str] | None,
    typer.Option(
        "--faults",
        metavar="SPEC",
        help="A fault to inject, repeatable: 429:every=10[:retry_after=2], 500:every=N|rate=R, 503:every=N, "
        "slow:every=N:delay=S, timeout:every=N[:delay=S], malformed:rate=R, malformed-json:every=N, "
        "token-expiry:after=N, redirect:every=N (Bullhorn).",
        show_default=False,
    ),
]
Seed = Annotated[int, typer.Option(help="Random seed: the same seed serves the same data.")]
Host = Annotated[str, typer.Option(help="Interface to listen on (0.0.0.0 for every interface).")]


@sandbox_app.command()
def bullhorn(
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port to listen on.")] = 8181,
    records: Records = DEFAULT_RECORDS,
    faults: Faults = None,
    seed: Seed = DEFAULT_SEED,
    host: Host = "127.0.0.1",
) -> None:
    """Serve the Bullhorn REST API sandbox: OAuth, /rest-services/login, search, query and entity."""
    _serve("bullhorn", host=host, port=port, records=records, faults=faults or [], seed=seed)


@sandbox_app.command()
def hubspot(
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port to listen on.")] = 8182,
    records: Records = DEFAULT_RECORDS,
    faults: Faults = None,
    seed: Seed = DEFAULT_SEED,
    host: Host = "127.0.0.1",
) -> None:
    """Serve the HubSpot CRM v3 sandbox: contacts, deals and companies, search and lists."""
    _serve("hubspot", host=host, port=port, records=records, faults=faults or [], seed=seed)


@sandbox_app.command()
def salesforce(
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port to listen on.")] = 8183,
    records: Records = DEFAULT_RECORDS,
    faults: Faults = None,
    seed: Seed = DEFAULT_SEED,
    host: Host = "127.0.0.1",
) -> None:
    """Serve the Salesforce REST API sandbox: OAuth token, SOQL query/queryAll with nextRecordsUrl."""
    _serve("salesforce", host=host, port=port, records=records, faults=faults or [], seed=seed)


def _serve(crm: str, *, host: str, port: int, records: int, faults: list[str], seed: int) -> None:
    """Build the sandbox, say where it is and how to sign in, and serve it until interrupted."""
    from hireflow.shared.extras import require

    require("server", "fastapi", "the CRM sandboxes")
    require("server", "uvicorn", "the CRM sandboxes")
    from hireflow.infra.crm.sandbox import bullhorn as bullhorn_sandbox
    from hireflow.infra.crm.sandbox import hubspot as hubspot_sandbox
    from hireflow.infra.crm.sandbox import salesforce as salesforce_sandbox
    from hireflow.infra.crm.sandbox.config import SandboxConfig
    from hireflow.infra.crm.sandbox.faults import parse_faults
    from hireflow.infra.crm.sandbox.runner import serve_sandbox

    config = SandboxConfig(records=records, seed=seed, faults=parse_faults(faults))
    factories = {
        "bullhorn": bullhorn_sandbox.create_bullhorn_sandbox,
        "hubspot": hubspot_sandbox.create_hubspot_sandbox,
        "salesforce": salesforce_sandbox.create_salesforce_sandbox,
    }
    app = factories[crm](config)
    shown_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104 - compared, not bound
    base = f"http://{f'[{shown_host}]' if ':' in shown_host else shown_host}:{port}"
    typer.echo(_banner(crm, base, config))
    serve_sandbox(app, host=host, port=port)


def _banner(crm: str, base: str, config: SandboxConfig) -> str:
    """What to tell the person who started the sandbox: the URL, the credentials, the faults, the controls."""
    c = config.credentials
    name = {"bullhorn": "Bullhorn", "hubspot": "HubSpot", "salesforce": "Salesforce"}[crm]
    lines = [f"{name} sandbox at {base} ({config.records:,} main records, seed {config.seed})"]
    if crm == "bullhorn":
        lines += [
            f"  authorize:      {base}/oauth/authorize?client_id={c.client_id}&response_type=code&action=Login"
            f"&username={c.username}&password={c.password}",
            f"  token:          POST {base}/oauth/token (client_secret {c.client_secret})",
            f"  login:          {base}/rest-services/login?version=2.0&access_token=...",
        ]
    elif crm == "hubspot":
        lines += [
            f"  private app:    Authorization: Bearer {c.private_app_token}",
            f"  oauth refresh:  POST {base}/oauth/v1/token (client {c.client_id} / {c.client_secret}, "
            f"refresh_token {c.refresh_token})",
            f"  search:         POST {base}/crm/v3/objects/contacts/search",
        ]
    else:
        lines += [
            f"  token:          POST {base}/services/oauth2/token grant_type=client_credentials "
            f"client_id={c.client_id} client_secret={c.client_secret}",
            f"                  (or password: {c.username} / {c.password}; refresh_token: {c.refresh_token})",
            f"  query:          {base}/services/data/v60.0/query?q=SELECT+Id+FROM+Contact",
        ]
    lines += [
        f"  credentials:    client id {c.client_id}, secret {c.client_secret}, user {c.username} / {c.password}",
        f"  faults:         {' '.join(config.faults.specs())}",
        f"  control:        {base}/_sandbox/stats, /_sandbox/mutate, /_sandbox/faults, /_sandbox/ids/<entity>",
        f"To sync from it, in another shell: export these, then `hireflow sync {crm} --company-group ID`",
        *(f"  export {name}={value}" for name, value in sync_settings(crm, base, config).items()),
        "Press Ctrl-C to stop.",
    ]
    return "\n".join(lines)


def sync_settings(crm: str, base: str, config: SandboxConfig) -> dict[str, str]:
    """The HIREFLOW_* settings that point ``hireflow sync <crm>`` at this sandbox."""
    c = config.credentials
    if crm == "bullhorn":
        return {
            "HIREFLOW_BULLHORN_AUTH_URL": base,
            "HIREFLOW_BULLHORN_LOGIN_URL": f"{base}/rest-services",
            "HIREFLOW_BULLHORN_CLIENT_ID": c.client_id,
            "HIREFLOW_BULLHORN_CLIENT_SECRET": c.client_secret,
            "HIREFLOW_BULLHORN_USERNAME": c.username,
            "HIREFLOW_BULLHORN_PASSWORD": c.password,
        }
    if crm == "hubspot":
        return {"HIREFLOW_HUBSPOT_BASE_URL": base, "HIREFLOW_HUBSPOT_TOKEN": c.private_app_token}
    return {
        "HIREFLOW_SALESFORCE_LOGIN_URL": base,
        "HIREFLOW_SALESFORCE_CLIENT_ID": c.client_id,
        "HIREFLOW_SALESFORCE_CLIENT_SECRET": c.client_secret,
    }
