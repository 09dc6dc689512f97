gate_camera_model = "DS-2CD2T47G2-L"
