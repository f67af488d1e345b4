// POST .../functions/{name}/execute as multipart/form-data: the file inputs uploaded
// in the same request as the call.
//
// The form: one part named `request`, the JSON body of the JSON form (inputs, files,
// version, async, timeout_s, no_cache; any Content-Type, a filename allowed), and one
// part per file input, named by the input's variable, with a filename. Parts may come
// in any order. Each file part is stored as a file of the caller exactly as
// POST /api/v1/files stores it (streamed to the blob store, the per-file limit, the
// quota, the file-name rules: files::UploadBatch), then given to the job as if its id
// were in `files`; the files stay in the caller's files, like any upload.
//
// All or nothing: file parts are staged while the body arrives, and recorded only
// once the whole form is in and names a function whose file inputs they are. A
// request refused before its job is queued (malformed form, no `request`, a part for
// an unknown input or for one that is not a file, a file given both in `files` and as
// a part, invalid inputs) leaves no file: staged blobs are released, and files already
// recorded when the submission is refused are deleted again. A crash between the two
// leaves those files in the caller's list, referenced by no job.
#pragma once

#include <memory>

#include "api/app.hpp"

namespace mecapy::api {

// The sink of one multipart execute request. Throws Error(invalid_input,
// "malformed-multipart") when the Content-Type has no usable boundary.
std::unique_ptr<http::BodySink> open_multipart_execution(AppContext& app, const http::Request& req);

}  // namespace mecapy::api
