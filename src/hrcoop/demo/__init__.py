"""The demo: public UN documents shipped in ``data/`` and a small, labelled workspace on top.

``hrcoop init --demo`` loads it into a database that holds no real records, so that a first
``make run`` opens on recommendations, requests, funds and mandates rather than on zeros;
``hrcoop demo remove`` takes every record it made out again. Every record it makes is listed in
``DemoRecord``, which is how pages know to show the "Demo data" badge and how removal finds them.
"""
