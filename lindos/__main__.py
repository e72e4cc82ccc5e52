import sys

from lindos.cli import main

sys.exit(main())
