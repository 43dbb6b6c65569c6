<?php
// Intentionally empty: a request for the cartbridge/ folder gets a blank page instead of a file listing.
