from gcmreview.cli import main

raise SystemExit(main())
