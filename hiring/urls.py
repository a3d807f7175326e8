from django.urls import path

from .candidates import views as candidates
from .insights import views as insights
from .interviews import views as interviews
from .positions import views as positions
from .rubrics import views as rubrics

app_name = "hiring"

urlpatterns = [
    path("rubrics/", rubrics.RubricListView.as_view(), name="rubric_list"),
    path("rubrics/new/", rubrics.RubricCreateView.as_view(), name="rubric_create"),
    path("rubrics/standard/", rubrics.StandardRubricInstallView.as_view(), name="rubric_install_standard"),
    path("rubrics/<int:pk>/", rubrics.RubricVersionDetailView.as_view(), name="rubric_detail"),
    path("rubrics/<int:pk>/edit/", rubrics.RubricVersionEditView.as_view(), name="rubric_edit"),
    path("rubrics/<int:pk>/publish/", rubrics.RubricVersionPublishView.as_view(), name="rubric_publish"),
    path("rubrics/<int:pk>/new-version/", rubrics.RubricVersionCopyView.as_view(), name="rubric_new_version"),
    path("rubrics/<int:pk>/validity/", rubrics.RubricValidityView.as_view(), name="rubric_validity"),
    path("positions/", positions.PositionListView.as_view(), name="position_list"),
    path("positions/new/", positions.PositionCreateView.as_view(), name="position_create"),
    path("positions/<int:pk>/", positions.PositionDetailView.as_view(), name="position_detail"),
    path("positions/<int:pk>/edit/", positions.PositionUpdateView.as_view(), name="position_update"),
    path("positions/<int:pk>/compare/", positions.PositionComparisonView.as_view(), name="position_comparison"),
    path("candidates/", candidates.CandidateListView.as_view(), name="candidate_list"),
    path("candidates/new/", candidates.CandidateCreateView.as_view(), name="candidate_create"),
    path("candidates/<int:pk>/", candidates.CandidateDetailView.as_view(), name="candidate_detail"),
    path("candidates/<int:pk>/edit/", candidates.CandidateUpdateView.as_view(), name="candidate_update"),
    path("candidates/<int:pk>/export/", candidates.CandidateExportView.as_view(), name="candidate_export"),
    path("candidates/<int:pk>/erase/", candidates.CandidateEraseView.as_view(), name="candidate_erase"),
    path("candidates/<int:pk>/merge/", candidates.CandidateMergeView.as_view(), name="candidate_merge"),
    path("applications/new/", candidates.ApplicationCreateView.as_view(), name="application_create"),
    path("applications/<int:pk>/", candidates.ApplicationDetailView.as_view(), name="application_detail"),
    path("applications/<int:pk>/decide/", candidates.ApplicationDecideView.as_view(), name="application_decide"),
    path("applications/<int:pk>/hire/", candidates.ApplicationHireView.as_view(), name="application_hire"),
    path("applications/<int:pk>/debrief/", interviews.DebriefView.as_view(), name="application_debrief"),
    path("applications/<int:pk>/interviews/new/", interviews.InterviewCreateView.as_view(), name="interview_create"),
    path("applications/<int:pk>/review/", interviews.HireReviewCreateView.as_view(), name="hirereview_create"),
    path("interviews/", interviews.InterviewListView.as_view(), name="interview_list"),
    path("interviews/mine/", interviews.MyInterviewListView.as_view(), name="my_interviews"),
    path("interviews/<int:pk>/", interviews.InterviewKitView.as_view(), name="interview_kit"),
    path("interviews/<int:pk>/reschedule/", interviews.InterviewRescheduleView.as_view(), name="interview_reschedule"),
    path("interviews/<int:pk>/cancel/", interviews.InterviewCancelView.as_view(), name="interview_cancel"),
    path("interviews/<int:pk>/scorecard/", interviews.ScorecardCreateView.as_view(), name="scorecard_create"),
    path("calibration/", insights.CalibrationView.as_view(), name="calibration"),
]
