visible = 1
_private = 2
import os as _os
