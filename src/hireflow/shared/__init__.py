"""Cross-cutting pieces every layer uses: settings, logging, metrics, errors, clock and ids."""
