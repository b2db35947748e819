"""Jailbreak and prompt-injection screening on the CPU, with capability categories per request.

    Detector.load().score(text) -> Assessment(score, signals, categories)

Everything the detector needs ships in the package (`data/jailbreak_model.npz`); nothing is
downloaded at run time.  See `detector` for how a prompt is scored and `normalize` and `decode` for
the disguises it looks through.
"""

from clearance.safeguards.detector import Assessment, Detector

__all__ = ["Assessment", "Detector"]
