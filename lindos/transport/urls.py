"""git smart HTTP routes. They only match what git clients ask for
(``info/refs`` and the two service endpoints), and ``info``,
``git-upload-pack`` and ``git-receive-pack`` are reserved words in
repository names, so they never shadow a browser page."""

from django.urls import path

from lindos.transport import git_http

urlpatterns = [
    path("<path:repo_name>/info/refs", git_http.info_refs, name="git_info_refs"),
    path("<path:repo_name>/git-upload-pack", git_http.service_rpc,
         {"service": "git-upload-pack"}, name="git_upload_pack"),
    path("<path:repo_name>/git-receive-pack", git_http.service_rpc,
         {"service": "git-receive-pack"}, name="git_receive_pack"),
]
