"""git smart HTTP routes. They only match what git clients ask for
(``info/refs`` and the two service endpoints), after a repository name
that has no route word in it, so a file called ``info/refs`` in the file
browser (``/REPO/files/REV/info/refs``) is never taken for the transport."""

from django.urls import re_path

from lindos.repos.storage import REPO_NAME_REGEX as REPO
from lindos.transport import git_http

urlpatterns = [
    re_path(rf"^{REPO}/info/refs$", git_http.info_refs, name="git_info_refs"),
    re_path(
        rf"^{REPO}/git-upload-pack$",
        git_http.service_rpc,
        {"service": "git-upload-pack"},
        name="git_upload_pack",
    ),
    re_path(
        rf"^{REPO}/git-receive-pack$",
        git_http.service_rpc,
        {"service": "git-receive-pack"},
        name="git_receive_pack",
    ),
]
