import os

import hypothesis

os.environ.setdefault("MPLBACKEND", "Agg")

# Property tests run many small numerical cases; wall-clock deadlines would only measure the
# noise of a shared 2-core machine.
hypothesis.settings.register_profile("ci", deadline=None, print_blob=True)
hypothesis.settings.load_profile("ci")
