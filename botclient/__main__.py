"""`python -m botclient`: the bot alone, configured from the environment (no Django needed)."""
import sys

from botclient.app import main

sys.exit(main())
